/**
 * What the health check reads of the cache (adapters/cache/cache-health.ts): the cache of this
 * process when there is one, else 0 L1 bytes and a PING of its own; `disabled` without Redis.
 */
import { CacheHealth, type CacheHealthView } from '#adapters/cache/cache-health';

const inProcess: CacheHealthView = { memoryBytes: 4096, redisState: 'degraded', pingRedis: async () => 0.7 };

describe('CacheHealth', () => {
  it("reports this process's cache when it has one (its L1 bytes, its Redis state, a PING through its client)", async () => {
    const ownPing = jest.fn(async () => 9);
    const health = new CacheHealth('redis://cache:6379', () => inProcess, ownPing);
    expect(health.memoryBytes).toBe(4096);
    expect(health.redisState).toBe('degraded');
    expect(await health.pingRedis()).toBe(0.7);
    expect(ownPing).not.toHaveBeenCalled();
  });

  it('without a cache in this process: 0 L1 bytes, and Redis is asked by its own PING (its failure is the caller’s `down`)', async () => {
    const ownPing = jest.fn(async () => 1.5);
    const health = new CacheHealth('redis://cache:6379', () => undefined, ownPing);
    expect(health.memoryBytes).toBe(0);
    expect(health.redisState).toBe('ok');
    expect(await health.pingRedis()).toBe(1.5);
    expect(ownPing).toHaveBeenCalledWith('redis://cache:6379');
    const failing = new CacheHealth(
      'redis://cache:6379',
      () => undefined,
      () => Promise.reject(new Error('refused')),
    );
    await expect(failing.pingRedis()).rejects.toThrow('refused');
  });

  it('after a failed PING answers at once for a second (down, no connection tried), then pings again', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      let answer: Promise<number> = Promise.reject(new Error('black-holed'));
      answer.catch(() => undefined);
      const ownPing = jest.fn(() => answer);
      const health = new CacheHealth('redis://cache:6379', () => undefined, ownPing);
      await expect(health.pingRedis()).rejects.toThrow('black-holed');
      expect(health.redisState).toBe('down');
      await expect(health.pingRedis()).rejects.toThrow();
      expect(ownPing).toHaveBeenCalledTimes(1);
      jest.advanceTimersByTime(1000);
      answer = Promise.resolve(2);
      expect(await health.pingRedis()).toBe(2);
      expect(health.redisState).toBe('ok');
      expect(ownPing).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('is disabled without a Redis URL, and pings nothing', async () => {
    const ownPing = jest.fn(async () => 1);
    const health = new CacheHealth(undefined, () => undefined, ownPing);
    expect(health.redisState).toBe('disabled');
    expect(await health.pingRedis()).toBeUndefined();
    expect(ownPing).not.toHaveBeenCalled();
  });

  it('reads the registry on every call: a cache built after the health check is reported from then on', () => {
    let registered: CacheHealthView | undefined;
    const health = new CacheHealth(undefined, () => registered);
    expect(health.memoryBytes).toBe(0);
    registered = inProcess;
    expect(health.memoryBytes).toBe(4096);
  });
});

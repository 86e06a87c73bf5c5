/**
 * L2 (DESIGN.md "Cache", API.md §6) against a private redis-server: get/set work, and when Redis
 * hangs or dies every call turns into a quick miss, a circuit breaker stops paying timeouts, and
 * the client comes back by itself when Redis does. Time bounds here are fault-behaviour bounds
 * (a hang would take ~70 s with ioredis defaults), not benchmarks.
 */
import { RedisCache, type RedisCacheOptions } from '#adapters/cache/redis-cache';
import { startRedisServer, type PrivateRedis } from '../../support/redis-server';
import { freePort } from '../../support/local-server';

const FAIL_FAST_MS = 1500;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Recorded {
  errors: string[];
  states: string[];
}

function newCache(url: string, options: RedisCacheOptions = {}): { cache: RedisCache; recorded: Recorded } {
  const recorded: Recorded = { errors: [], states: [] };
  const cache = new RedisCache(
    url,
    {
      onError: (operation) => recorded.errors.push(operation),
      onStateChange: (state) => recorded.states.push(state),
    },
    options,
  );
  return { cache, recorded };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Polls until `check` holds or the deadline passes; returns whether it held. */
async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

async function waitForReady(cache: RedisCache): Promise<void> {
  if (!(await eventually(() => cache.state === 'ok', 5000, 20))) throw new Error(`redis client never became ready (state ${cache.state})`);
}

describe('RedisCache (L2) against a private redis-server', () => {
  let redis: PrivateRedis;
  const opened: RedisCache[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterEach(async () => {
    redis.running && redis.resume();
    await Promise.all(opened.splice(0).map((cache) => cache.close()));
    if (!redis.running) await redis.restart();
  });

  afterAll(async () => {
    await redis?.stop();
    // ioredis's disconnect() arms a 2 s timer that only a later socket 'close' clears; a client whose
    // socket had already closed (Redis dead) keeps it, so let it run out rather than leak it past the file.
    await sleep(2100);
  });

  function open(options: RedisCacheOptions = {}) {
    const made = newCache(redis.url, options);
    opened.push(made.cache);
    return made;
  }

  it('never uses the shared Redis port', () => {
    expect(redis.port).not.toBe(6379);
  });

  it('sets and gets values; a missing key is undefined; entries carry the TTL', async () => {
    const { cache, recorded } = open({ ttlSeconds: 120 });
    await waitForReady(cache);
    expect(await cache.get('rc:missing')).toBeUndefined();
    const text = JSON.stringify({ version: 'v1', heads: [{ name: 'ü中😀' }] });
    await cache.set('rc:key', text);
    expect(await cache.get('rc:key')).toBe(text);
    const ttl = Number((await redis.command('TTL', 'rc:key')).slice(1));
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
    expect(await cache.ping()).toBeGreaterThanOrEqual(0);
    expect(cache.state).toBe('ok');
    expect(recorded.errors).toEqual([]);
  });

  it('two clients (two instances) share entries', async () => {
    const a = open().cache;
    const b = open().cache;
    await Promise.all([waitForReady(a), waitForReady(b)]);
    await a.set('rc:shared', 'from-a');
    expect(await b.get('rc:shared')).toBe('from-a');
  });

  it('with the server paused (SIGSTOP), get() misses fast and set() neither throws nor hangs', async () => {
    const { cache, recorded } = open();
    await waitForReady(cache);
    await cache.set('rc:paused', 'old');
    redis.pause();
    const read = await timed(() => cache.get('rc:paused'));
    expect(read.value).toBeUndefined();
    expect(read.ms).toBeLessThan(FAIL_FAST_MS);
    const write = await timed(() => cache.set('rc:paused', 'new'));
    expect(write.ms).toBeLessThan(FAIL_FAST_MS);
    expect(recorded.errors.length).toBeGreaterThanOrEqual(1);
  });

  it('opens its breaker after repeated failures, then skips Redis at once, and closes again when Redis returns', async () => {
    const { cache, recorded } = open({ halfOpenAfterMs: 500 });
    await waitForReady(cache);
    await cache.set('rc:breaker', 'value');
    redis.pause();
    for (let i = 0; i < 3; i += 1) {
      const attempt = await timed(() => cache.get('rc:breaker'));
      expect(attempt.value).toBeUndefined();
      expect(attempt.ms).toBeLessThan(FAIL_FAST_MS);
    }
    expect(recorded.states).toContain('open');
    expect(cache.state).toBe('down');
    const errorsWhenOpened = recorded.errors.length;
    // Open: the call never goes to Redis, so it pays no timeout and records no new error.
    expect(await cache.get('rc:breaker')).toBeUndefined();
    expect(recorded.errors.length).toBe(errorsWhenOpened);

    redis.resume();
    const recovered = await eventually(async () => (await cache.get('rc:breaker')) === 'value', 5000, 100);
    expect(recovered).toBe(true);
    expect(recorded.states).toContain('half-open');
    expect(recorded.states[recorded.states.length - 1]).toBe('closed');
    expect(cache.state).toBe('ok');
  });

  it('when Redis is killed, calls miss at once; after a restart (empty) the client reconnects by itself', async () => {
    const { cache, recorded } = open({ halfOpenAfterMs: 300 });
    await waitForReady(cache);
    await cache.set('rc:killed', 'before');
    await redis.kill();
    for (let i = 0; i < 5; i += 1) {
      const attempt = await timed(() => cache.get('rc:killed'));
      expect(attempt.value).toBeUndefined();
      expect(attempt.ms).toBeLessThan(FAIL_FAST_MS);
      const write = await timed(() => cache.set('rc:killed', 'during'));
      expect(write.ms).toBeLessThan(FAIL_FAST_MS);
    }
    expect(cache.state).not.toBe('ok');
    await redis.restart();
    // The restarted server is empty; the client must be usable again without being rebuilt.
    const usable = await eventually(
      async () => {
        await cache.set('rc:killed', 'after');
        return (await cache.get('rc:killed')) === 'after';
      },
      8000,
      200,
    );
    expect(usable).toBe(true);
    expect(cache.state).toBe('ok');
    expect(recorded.errors.length).toBeGreaterThan(0);
  });

  it('pointing at a port where nothing listens, every call is a quick miss', async () => {
    const nothing = await freePort();
    const made = newCache(`redis://127.0.0.1:${nothing}`);
    opened.push(made.cache);
    for (let i = 0; i < 5; i += 1) {
      const attempt = await timed(() => made.cache.get('rc:nowhere'));
      expect(attempt.value).toBeUndefined();
      expect(attempt.ms).toBeLessThan(FAIL_FAST_MS);
    }
    await expect(made.cache.ping()).rejects.toBeDefined();
    expect(made.cache.state).not.toBe('ok');
  });

  it('many concurrent calls during a pause all finish within the fail-fast bound', async () => {
    const { cache } = open();
    await waitForReady(cache);
    redis.pause();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? cache.get(`rc:many:${i}`) : cache.set(`rc:many:${i}`, 'x').then(() => undefined))),
    );
    const elapsed = performance.now() - started;
    expect(results.every((result) => result === undefined)).toBe(true);
    expect(elapsed).toBeLessThan(FAIL_FAST_MS);
  });
});

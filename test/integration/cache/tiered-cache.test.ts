/**
 * The read-through tiers (DESIGN.md "Cache"): L1 (this instance) → L2 (Redis, shared by instances)
 * → the loader (the database), with concurrent misses of one key sharing a single load, and a
 * Redis outage costing only the load.
 */
import { MemoryCache } from '#adapters/cache/memory-cache';
import { RedisCache } from '#adapters/cache/redis-cache';
import { TieredCache } from '#adapters/cache/tiered-cache';
import type { CachedLoad } from '#services/ports';
import { signals } from '#observability/signals';
import { startRedisServer, type PrivateRedis } from '../../support/redis-server';

const FAIL_FAST_MS = 1500;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Snapshot {
  version: number;
  names: string[];
}

/** A loader spec that counts its loads and can be slowed down or made to fail. */
function loaderFor(value: Snapshot, options: { delayMs?: number; fail?: boolean; keepInMemory?: boolean; maxMemoryBytes?: number } = {}) {
  const calls = { load: 0, decode: 0 };
  const spec: CachedLoad<Snapshot> = {
    load: async () => {
      calls.load += 1;
      if (options.delayMs) await sleep(options.delayMs);
      if (options.fail) throw new Error('database unavailable');
      return { ...value, names: [...value.names] };
    },
    encode: (snapshot) => JSON.stringify(snapshot),
    decode: (encoded) => {
      calls.decode += 1;
      return JSON.parse(encoded) as Snapshot;
    },
    keepInMemory: options.keepInMemory ?? true,
    maxMemoryBytes: options.maxMemoryBytes,
  };
  return { spec, calls };
}

const tiers: Array<{ kind: string; tier: string }> = [];

beforeEach(() => {
  tiers.length = 0;
  jest.spyOn(signals, 'cacheHit').mockImplementation((tier) => void tiers.push({ kind: 'hit', tier }));
  jest.spyOn(signals, 'cacheMiss').mockImplementation((tier) => void tiers.push({ kind: 'miss', tier }));
  jest.spyOn(signals, 'cacheError').mockImplementation(() => undefined);
  jest.spyOn(signals, 'l1Eviction').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

const hits = (tier: string): number => tiers.filter((event) => event.kind === 'hit' && event.tier === tier).length;

describe('TieredCache without Redis (L1 → loader)', () => {
  const newTiered = (maxBytes = 1024 * 1024) => new TieredCache(new MemoryCache(maxBytes, { onEviction: () => undefined }), undefined);

  it('loads once, then answers from L1 with the very same object', async () => {
    const tiered = newTiered();
    const { spec, calls } = loaderFor({ version: 1, names: ['a'] });
    const first = await tiered.getOrLoad('snap:e1:1', spec);
    const second = await tiered.getOrLoad('snap:e1:1', spec);
    expect(second).toBe(first);
    expect(calls.load).toBe(1);
    expect(hits('L1')).toBe(1);
    expect(tiered.peek('snap:e1:1')).toBe(first);
    expect(tiered.redisState).toBe('disabled');
  });

  it('a new key (a new data epoch) is loaded afresh, never served from the old entry', async () => {
    const tiered = newTiered();
    await tiered.getOrLoad('snap:e1:1', loaderFor({ version: 1, names: ['a'] }).spec);
    const next = loaderFor({ version: 2, names: ['a', 'b'] });
    expect(await tiered.getOrLoad('snap:e1:2', next.spec)).toEqual({ version: 2, names: ['a', 'b'] });
    expect(next.calls.load).toBe(1);
  });

  it('20 concurrent getOrLoad of the same missing key call the loader once and share its result', async () => {
    const tiered = newTiered();
    const { spec, calls } = loaderFor({ version: 7, names: ['x'] }, { delayMs: 50 });
    const results = await Promise.all(Array.from({ length: 20 }, () => tiered.getOrLoad('snap:e2:7', spec)));
    expect(calls.load).toBe(1);
    for (const result of results) expect(result).toBe(results[0]);
    expect(results[0]).toEqual({ version: 7, names: ['x'] });
  });

  it('a failed load reaches every waiter and is not remembered: the next call loads again', async () => {
    const tiered = newTiered();
    const failing = loaderFor({ version: 1, names: [] }, { delayMs: 20, fail: true });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => tiered.getOrLoad('snap:e3:1', failing.spec)));
    expect(failing.calls.load).toBe(1);
    expect(settled.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(tiered.peek('snap:e3:1')).toBeUndefined();
    const working = loaderFor({ version: 1, names: ['ok'] });
    expect(await tiered.getOrLoad('snap:e3:1', working.spec)).toEqual({ version: 1, names: ['ok'] });
    expect(working.calls.load).toBe(1);
  });

  it('keepInMemory: false and maxMemoryBytes keep entries out of L1', async () => {
    const tiered = newTiered();
    const bypass = loaderFor({ version: 1, names: ['big'] }, { keepInMemory: false });
    await tiered.getOrLoad('payload:e4:big:r1', bypass.spec);
    await tiered.getOrLoad('payload:e4:big:r1', bypass.spec);
    expect(bypass.calls.load).toBe(2);
    expect(tiered.peek('payload:e4:big:r1')).toBeUndefined();

    const capped = loaderFor({ version: 1, names: ['x'.repeat(1000)] }, { maxMemoryBytes: 100 });
    await tiered.getOrLoad('var:e4:1:x', capped.spec);
    expect(tiered.peek('var:e4:1:x')).toBeUndefined();
  });

  it('L1 stays within its byte bound however many snapshots are loaded', async () => {
    const tiered = newTiered(32 * 1024);
    for (let i = 0; i < 200; i += 1)
      await tiered.getOrLoad(`snap:e5:${i}`, loaderFor({ version: i, names: Array.from({ length: 20 }, (_, j) => `name_${j}`) }).spec);
    expect(tiered.memoryBytes).toBeLessThanOrEqual(32 * 1024);
    expect(tiered.memoryBytes).toBeGreaterThan(0);
  });
});

describe('TieredCache with Redis (L1 → L2 → loader)', () => {
  let redis: PrivateRedis;
  const clients: RedisCache[] = [];

  const instance = (): TieredCache => {
    const client = new RedisCache(redis.url, { onError: () => undefined, onStateChange: () => undefined }, { halfOpenAfterMs: 300 });
    clients.push(client);
    return new TieredCache(new MemoryCache(1024 * 1024, { onEviction: () => undefined }), client);
  };

  async function ready(tiered: TieredCache): Promise<void> {
    const deadline = Date.now() + 5000;
    while (tiered.redisState !== 'ok') {
      if (Date.now() > deadline) throw new Error(`redis not ready: ${tiered.redisState}`);
      await sleep(20);
    }
  }

  /** The L2 fill is fire-and-forget; wait until the entry is in Redis. */
  async function inRedis(key: string): Promise<void> {
    const deadline = Date.now() + 3000;
    while (!(await redis.command('EXISTS', key)).startsWith(':1')) {
      if (Date.now() > deadline) throw new Error(`${key} never reached Redis`);
      await sleep(20);
    }
  }

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterEach(async () => {
    if (redis.running) redis.resume();
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  afterAll(async () => {
    await redis?.stop();
    await sleep(2100); // see redis-cache.test.ts: ioredis's disconnect timer
  });

  it('a load on one instance fills Redis; another instance then reads it from L2 without loading', async () => {
    const a = instance();
    const b = instance();
    await Promise.all([ready(a), ready(b)]);
    const loadA = loaderFor({ version: 3, names: ['shared'] });
    await a.getOrLoad('snap:t1:3', loadA.spec);
    await inRedis('snap:t1:3');
    const loadB = loaderFor({ version: 999, names: ['should-not-load'] });
    const onB = await b.getOrLoad('snap:t1:3', loadB.spec);
    expect(onB).toEqual({ version: 3, names: ['shared'] });
    expect(loadB.calls.load).toBe(0);
    expect(loadB.calls.decode).toBe(1);
    expect(hits('L2')).toBe(1);
    // And B now answers from its own L1.
    await b.getOrLoad('snap:t1:3', loadB.spec);
    expect(hits('L1')).toBe(1);
    expect(loadB.calls.decode).toBe(1);
  });

  it('entries that skip L1 are still shared through Redis', async () => {
    const a = instance();
    const b = instance();
    await Promise.all([ready(a), ready(b)]);
    await a.getOrLoad('payload:t2:v:r1', loaderFor({ version: 1, names: ['chunked'] }, { keepInMemory: false }).spec);
    await inRedis('payload:t2:v:r1');
    const onB = loaderFor({ version: 0, names: [] }, { keepInMemory: false });
    expect(await b.getOrLoad('payload:t2:v:r1', onB.spec)).toEqual({ version: 1, names: ['chunked'] });
    expect(onB.calls.load).toBe(0);
    expect(b.peek('payload:t2:v:r1')).toBeUndefined();
  });

  it('20 concurrent getOrLoad of a key missing in L1 and L2 call the loader once', async () => {
    const tiered = instance();
    await ready(tiered);
    const { spec, calls } = loaderFor({ version: 5, names: ['x'] }, { delayMs: 30 });
    const results = await Promise.all(Array.from({ length: 20 }, () => tiered.getOrLoad('snap:t3:5', spec)));
    expect(calls.load).toBe(1);
    for (const result of results) expect(result).toBe(results[0]);
    await inRedis('snap:t3:5');
  });

  it('with Redis paused, reads fall through to the loader quickly and still fill L1', async () => {
    const tiered = instance();
    await ready(tiered);
    redis.pause();
    const { spec, calls } = loaderFor({ version: 8, names: ['during-pause'] });
    const started = performance.now();
    const value = await tiered.getOrLoad('snap:t4:8', spec);
    expect(performance.now() - started).toBeLessThan(FAIL_FAST_MS);
    expect(value).toEqual({ version: 8, names: ['during-pause'] });
    expect(calls.load).toBe(1);
    expect(tiered.peek('snap:t4:8')).toEqual(value);
    // Many more keys during the outage: the breaker makes them cheap, and none fails.
    const many = await Promise.all(
      Array.from({ length: 30 }, (_, i) => tiered.getOrLoad(`snap:t4:${100 + i}`, loaderFor({ version: 100 + i, names: [] }).spec)),
    );
    expect(many.map((snapshot) => snapshot.version)).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
    expect(performance.now() - started).toBeLessThan(FAIL_FAST_MS * 2);
  });

  it('with Redis killed, reads are served by the loader; after a restart L2 is filled and used again', async () => {
    const a = instance();
    const b = instance();
    await Promise.all([ready(a), ready(b)]);
    await redis.kill();
    const outage = loaderFor({ version: 1, names: ['outage'] });
    const started = performance.now();
    expect(await a.getOrLoad('snap:t5:1', outage.spec)).toEqual({ version: 1, names: ['outage'] });
    expect(performance.now() - started).toBeLessThan(FAIL_FAST_MS);
    await redis.restart();
    await Promise.all([ready(a), ready(b)]);
    await sleep(400); // past the breakers' half-open delay
    await a.getOrLoad('snap:t5:2', loaderFor({ version: 2, names: ['after'] }).spec);
    await inRedis('snap:t5:2');
    const onB = loaderFor({ version: 0, names: [] });
    expect(await b.getOrLoad('snap:t5:2', onB.spec)).toEqual({ version: 2, names: ['after'] });
    expect(onB.calls.load).toBe(0);
  });
});

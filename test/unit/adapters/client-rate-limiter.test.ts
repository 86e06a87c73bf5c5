/**
 * The rate limiter adapter (API.md §8) as rate-limit.ts builds it from rate-limiter-flexible's
 * single-class modules: a refusal is recognised as one (the same RateLimiterRes class the limiters
 * reject with), counts are per client, shared through Redis, and kept in memory while Redis is away.
 */
import { ClientRateLimiter } from '#adapters/rate-limit';
import { freePort } from '../../support/local-server';
import { startRedisServer, type PrivateRedis } from '../../support/redis-server';

async function consumeTimes(limiter: ClientRateLimiter, client: string, times: number) {
  const decisions = [];
  for (let i = 0; i < times; i += 1) decisions.push(await limiter.consume(client));
  return decisions;
}

/** A call before the connection is ready is counted by the insurance limiter: wait until this limiter counts in Redis. */
async function untilCountedInRedis(limiter: ClientRateLimiter, redis: PrivateRedis, name: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    await limiter.consume(`warm:${name}:${attempt}`);
    if ((await redis.command('EXISTS', `rate:warm:${name}:${attempt}`)) === ':1\r\n') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the ${name} limiter never counted in Redis`);
}

describe('ClientRateLimiter without Redis', () => {
  it('allows perMinute requests per client, then refuses with the seconds until its minute ends', async () => {
    const limiter = new ClientRateLimiter(3, undefined);
    const decisions = await consumeTimes(limiter, 'ip:a', 4);
    expect(decisions.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(decisions[3]).toMatchObject({ allowed: false });
    const retryAfter = (decisions[3] as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await expect(limiter.consume('ip:b')).resolves.toEqual({ allowed: true });
  });
});

describe('ClientRateLimiter with Redis', () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('shares one count between instances', async () => {
    const first = new ClientRateLimiter(2, redis.url);
    const second = new ClientRateLimiter(2, redis.url);
    try {
      await untilCountedInRedis(first, redis, 'first');
      await untilCountedInRedis(second, redis, 'second');
      expect(await first.consume('token:shared')).toEqual({ allowed: true });
      expect(await second.consume('token:shared')).toEqual({ allowed: true });
      expect(await first.consume('token:shared')).toMatchObject({ allowed: false });
      expect(await redis.command('EXISTS', 'rate:token:shared')).toBe(':1\r\n');
    } finally {
      first.close();
      second.close();
    }
  });

  it('counts in memory while Redis cannot be reached', async () => {
    const limiter = new ClientRateLimiter(2, `redis://127.0.0.1:${await freePort()}`);
    try {
      const decisions = await consumeTimes(limiter, 'ip:c', 3);
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
    } finally {
      limiter.close();
    }
  });
});

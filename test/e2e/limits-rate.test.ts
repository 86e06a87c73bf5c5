/**
 * Rate limit (API.md §8): RATE_LIMIT_PER_MINUTE per client (the bearer token's identity, else the
 * source address), counted in Redis so two instances (LOCAL_INSTANCES=2) share one count; over it
 * → 429 RATE_LIMITED with Retry-After (seconds until allowed). Health is exempt, other clients are
 * not affected, and with Redis gone each instance goes on counting in memory. Uses its own
 * redis-server (it is killed here).
 */
import { startLocalServer, type LocalServer } from '../support/local-server';
import { sendOnFreshConnection, type Reply } from '../support/fresh-connection';
import { startRedisServer, type PrivateRedis } from '../support/redis-server';
import { redisInUseEverywhere } from '../support/redis-in-use';
import { ISO_MS, newExecutionId, variablePath } from './support';

jest.setTimeout(120_000);

const LIMIT = 20;
let redis: PrivateRedis;
let server: LocalServer;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startLocalServer({ LOCAL_INSTANCES: '2', REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: String(LIMIT) });
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

/** Sequential requests of one client, each on a fresh connection so the two instances share them. */
async function requestsOf(token: string, count: number, path = variablePath(newExecutionId('rate'), 'v')): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let i = 0; i < count; i += 1)
    replies.push(await sendOnFreshConnection(server.baseUrl, 'GET', path, undefined, 15_000, { Authorization: `Bearer ${token}` }));
  return replies;
}

const allowed = (replies: Reply[]): number => replies.filter(({ status }) => status !== 429).length;

it('counts one client across both instances: exactly the limit is served, the rest is 429 RATE_LIMITED with Retry-After', async () => {
  expect(await redisInUseEverywhere((method, path) => sendOnFreshConnection(server.baseUrl, method, path))).toBe(true);
  const replies = await requestsOf('alice', LIMIT + 10);
  expect(replies.map(({ status }) => status).filter((status) => status !== 404 && status !== 429)).toEqual([]);
  expect(allowed(replies)).toBe(LIMIT);
  const refused = replies.filter(({ status }) => status === 429);
  for (const reply of refused) {
    const retryAfter = Number(reply.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(reply.json).toEqual({
      success: false,
      error: {
        code: 'RATE_LIMITED',
        error_type: 'api_error',
        message: expect.any(String),
        details: expect.objectContaining({ limit_per_minute: LIMIT }),
        request_id: expect.any(String),
        timestamp: expect.stringMatching(ISO_MS),
      },
      user_message: expect.any(String),
      suggestions: expect.any(Array),
    });
  }
  // Bystanders: another client is served, and health is exempt for the limited one.
  expect((await requestsOf('bob', 3)).map(({ status }) => status)).toEqual([404, 404, 404]);
  const health = await sendOnFreshConnection(server.baseUrl, 'GET', '/api/health', undefined, 15_000, { Authorization: 'Bearer alice' });
  expect(health.status).toBe(200);
});

it('counts malformed requests too: past the limit a request with an invalid name is 429, not 400 (it is never parsed)', async () => {
  const path = variablePath(newExecutionId('rate-bad'), '9lives'); // an invalid name: 400 INVALID_VARIABLE_NAME
  const replies = await requestsOf('dave', LIMIT + 3, path);
  expect(replies.slice(0, LIMIT).map(({ status }) => status)).toEqual(Array(LIMIT).fill(400));
  expect(replies.slice(LIMIT).map(({ status }) => status)).toEqual([429, 429, 429]);
});

it('without a token the source address is the client', async () => {
  const replies: Reply[] = [];
  const path = variablePath(newExecutionId('rate-ip'), 'v');
  for (let i = 0; i < LIMIT + 5; i += 1) replies.push(await sendOnFreshConnection(server.baseUrl, 'GET', path));
  // Earlier tests' anonymous calls (the readiness probe is health: exempt) may have used a few.
  expect(allowed(replies)).toBeLessThanOrEqual(LIMIT);
  expect(replies.filter(({ status }) => status === 429).length).toBeGreaterThanOrEqual(5);
});

it('with Redis gone each instance limits in memory: never more than the limit per instance, and no error', async () => {
  await redis.kill();
  const replies = await requestsOf('carol', 3 * LIMIT);
  expect(replies.map(({ status }) => status).filter((status) => status !== 404 && status !== 429)).toEqual([]);
  expect(allowed(replies)).toBeGreaterThanOrEqual(LIMIT);
  expect(allowed(replies)).toBeLessThanOrEqual(2 * LIMIT);
});

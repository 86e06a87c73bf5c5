import '../../support/handler-test-env';
import { health, type HealthDependencies } from '#functions/composition/health';
import { handler } from '#handlers/service/health';
import { createTestEvent, jsonBody } from '../../support/test-event';
import { testSettings } from './fakes';

function healthWith(ping: () => Promise<void>, redisState: 'ok' | 'down' | 'disabled' = 'disabled'): HealthDependencies {
  return {
    settings: testSettings({ serviceVersion: '1.2.3', apiToken: 'secret' }),
    variableStore: { ping },
    databaseBreaker: { isOpen: false },
    cache: { memoryBytes: 2048, redisState, pingRedis: async () => 0.4 },
  };
}

const probe = () => {
  const { event, context } = createTestEvent({ method: 'GET', path: '/api/health' });
  return handler(event, context);
};

afterEach(() => health.use(undefined));

describe('GET /api/health, in process with fake ports', () => {
  it('is 200 ok with both checks and the version, without the token (an open route)', async () => {
    health.use(healthWith(async () => undefined));
    const result = await probe();
    expect(result.statusCode).toBe(200);
    expect(jsonBody(result)).toMatchObject({
      status: 'ok',
      version: '1.2.3',
      checks: { database: { status: 'ok' }, cache: { status: 'ok', l1: { bytes: 2048 }, l2: { status: 'disabled' } } },
    });
  });

  it('is 503 down with Retry-After when the database cannot be reached, and degraded while Redis is down', async () => {
    health.use(healthWith(() => Promise.reject(new Error('unreachable'))));
    const down = await probe();
    expect(down).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '1' } });
    expect(jsonBody(down)).toMatchObject({ status: 'down', checks: { database: { status: 'down', circuit: 'closed' } } });
    health.use(healthWith(async () => undefined, 'down'));
    const degraded = await probe();
    expect(degraded.statusCode).toBe(200);
    expect(jsonBody(degraded)).toMatchObject({ status: 'degraded' });
  });
});

import fc from 'fast-check';
import { readSettings } from '#config/settings';

const EVERY_SETTING = {
  VARIABLES_TABLE: 'v-table',
  REFERENCES_TABLE: 'r-table',
  IDEMPOTENCY_TABLE: 'i-table',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
  AWS_REGION: 'eu-west-1',
  REDIS_URL: 'redis://127.0.0.1:6380',
  L1_CACHE_MAX_BYTES: '1048576',
  REQUEST_BUDGET_MS: '3000',
  DYNAMODB_CALL_TIMEOUT_MS: '700',
  API_TOKEN: 'token',
  CORS_ORIGINS: 'https://a.example, https://b.example',
  RETENTION_DAYS: '7',
  SERVICE_VERSION: '9.9.9',
  MAX_CONCURRENT_REQUESTS: '3',
  ONE_REQUEST_AT_A_TIME: 'true',
  WARM_UP_TABLE: 'v-table',
  RATE_LIMIT_PER_MINUTE: '120',
  PURGE_QUEUE_URL: 'https://sqs.example/queue',
};

describe('readSettings', () => {
  it('reads every setting from the environment it is given', () => {
    expect(readSettings(EVERY_SETTING)).toEqual({
      variablesTable: 'v-table',
      referencesTable: 'r-table',
      idempotencyTable: 'i-table',
      dynamoEndpoint: 'http://127.0.0.1:8000',
      region: 'eu-west-1',
      redisUrl: 'redis://127.0.0.1:6380',
      l1MaxBytes: 1048576,
      requestBudgetMs: 3000,
      dynamoCallTimeoutMs: 700,
      apiToken: 'token',
      corsOrigins: ['https://a.example', 'https://b.example'],
      retentionDays: 7,
      serviceVersion: '9.9.9',
      maxConcurrentRequests: 3,
      oneRequestAtATime: true,
      warmUpTable: 'v-table',
      rateLimitPerMinute: 120,
      purgeQueueUrl: 'https://sqs.example/queue',
    });
  });

  it('never reads process.env behind its argument', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, EVERY_SETTING);
      const settings = readSettings({});
      expect(settings).toMatchObject({
        variablesTable: 'variables',
        l1MaxBytes: 64 * 1024 * 1024,
        requestBudgetMs: 8000,
        dynamoCallTimeoutMs: 1500,
        retentionDays: 90,
        maxConcurrentRequests: 64,
        apiToken: undefined,
        corsOrigins: ['*'],
        rateLimitPerMinute: undefined,
      });
    } finally {
      process.env = saved;
    }
  });

  it('takes a positive number and falls back on anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 1e9 }).map(String), fc.string()), (raw) => {
        const value = Number(raw);
        const expected = raw !== '' && Number.isFinite(value) && value > 0 ? value : 8000;
        expect(readSettings({ REQUEST_BUDGET_MS: raw }).requestBudgetMs).toBe(expected);
      }),
    );
    expect(readSettings({ MAX_CONCURRENT_REQUESTS: '2.7' }).maxConcurrentRequests).toBe(2);
    expect(readSettings({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBeUndefined();
  });
});

/**
 * Settings of one execution environment (a Lambda instance or a local worker), read from the
 * environment given — every setting from that argument, none from `process.env` behind its back.
 * The composition root (functions/composition/settings.ts) reads them once and passes them down.
 */
export interface Settings {
  variablesTable: string;
  referencesTable: string;
  idempotencyTable: string;
  dynamoEndpoint: string | undefined;
  region: string;
  redisUrl: string | undefined;
  /** Bytes the in-process cache may hold. */
  l1MaxBytes: number;
  /** The whole request's time budget; kept below the Lambda timeout so clients get 503/504, not a gateway timeout. */
  requestBudgetMs: number;
  /** Per DynamoDB call. */
  dynamoCallTimeoutMs: number;
  apiToken: string | undefined;
  corsOrigins: string[];
  /** Days before an execution's items expire (DynamoDB TTL). */
  retentionDays: number;
  serviceVersion: string;
  /** Requests this instance works on at once (API.md §8); more wait in a queue only while they can still start within their budget. */
  maxConcurrentRequests: number;
  /**
   * This process runs one request at a time (a Lambda instance; ONE_REQUEST_AT_A_TIME=true, set by the stack), so the
   * current request's budget signal is a plain variable, not an AsyncLocalStorage scope (services/request-budget-signal.ts).
   */
  oneRequestAtATime: boolean;
  /** Lambda: a table this function's role may read, for the DynamoDB warm-up at init (WARM_UP_TABLE, set by the stack); none elsewhere. */
  warmUpTable: string | undefined;
  /** Requests one client may make a minute, across instances (API.md §8); undefined = no limit. */
  rateLimitPerMinute: number | undefined;
  /** AWS: the queue that carries the rest of a large execution purge to the purge function; unset locally (an in-process purge). */
  purgeQueueUrl: string | undefined;
}

/** A positive number from `env[name]`; the fallback when it is unset, empty, not a number or not positive. */
function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function readSettings(env: NodeJS.ProcessEnv): Settings {
  return {
    variablesTable: env.VARIABLES_TABLE ?? 'variables',
    referencesTable: env.REFERENCES_TABLE ?? 'variable_references',
    idempotencyTable: env.IDEMPOTENCY_TABLE ?? 'idempotency',
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    redisUrl: env.REDIS_URL || undefined,
    l1MaxBytes: numberFrom(env, 'L1_CACHE_MAX_BYTES', 64 * 1024 * 1024),
    requestBudgetMs: numberFrom(env, 'REQUEST_BUDGET_MS', 8000),
    dynamoCallTimeoutMs: numberFrom(env, 'DYNAMODB_CALL_TIMEOUT_MS', 1500),
    apiToken: env.API_TOKEN || undefined,
    corsOrigins: (env.CORS_ORIGINS ?? '*')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    retentionDays: numberFrom(env, 'RETENTION_DAYS', 90),
    serviceVersion: env.SERVICE_VERSION ?? '0.1.0',
    maxConcurrentRequests: Math.floor(numberFrom(env, 'MAX_CONCURRENT_REQUESTS', 64)),
    oneRequestAtATime: env.ONE_REQUEST_AT_A_TIME === 'true',
    warmUpTable: env.WARM_UP_TABLE || undefined,
    rateLimitPerMinute: Math.floor(numberFrom(env, 'RATE_LIMIT_PER_MINUTE', 0)) || undefined,
    purgeQueueUrl: env.PURGE_QUEUE_URL || undefined,
  };
}

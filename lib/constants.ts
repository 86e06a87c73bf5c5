import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Names and numbers the stack shares between its constructs and its tests. Thresholds live here,
 * not inline in alarms, so the documented targets (DESIGN.md, Observability) are read in one place.
 */

/** Powertools service name; Powertools Metrics adds it to every metric as the `service` dimension. */
export const SERVICE_NAME = 'variable-service';
/** EMF namespace the functions publish into (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'VariableService';

/**
 * Custom metrics the functions emit (functions/observability/signals.ts and
 * functions/middleware/http-contract.ts); the names must match theirs.
 */
export const METRIC = {
  /** Per request, dimensions {service, operation}. */
  latency: 'Latency',
  success: 'Success',
  failure: 'Failure',
  /** Dimensions {service, tier} with tier L1 | L2. */
  cacheHit: 'CacheHit',
  cacheMiss: 'CacheMiss',
  /** One metric per state a circuit breaker enters ('half-open' becomes 'Halfopen'). */
  breakerStates: ['BreakerStateOpen', 'BreakerStateHalfopen', 'BreakerStateClosed'],
  databaseRetries: 'DatabaseRetries',
  databaseThrottles: 'DatabaseThrottles',
  /** Dimensions {service, error_code}. */
  errorsByCode: 'Error',
} as const;

/** Lambda timeout, and the request budget kept below it so a slow request ends as 503/504, not a gateway timeout. */
export const FUNCTION_TIMEOUT = Duration.seconds(10);
export const REQUEST_BUDGET_MS = 8000;
export const DEFAULT_MEMORY_MB = 512;

/** Stage-wide throttling; API Gateway answers 429 above it before a Lambda is paid for. */
export const API_THROTTLE = { rateLimit: 1000, burstLimit: 2000 } as const;

/**
 * ElastiCache Serverless usage ceilings. They cap cost, and they are what the memory and ECPU alarms
 * measure against: a cache at its ceiling is throttled, so we want to hear well before.
 */
export const CACHE_LIMITS = { dataStorageGb: 5, ecpuPerSecond: 15000 } as const;

/** p95 latency targets per operation, in milliseconds (DESIGN.md, Observability; STORY-013 AC-5). */
export const LATENCY_P95_THRESHOLD_MS: Readonly<Record<string, number>> = {
  StoreVariable: 100,
  StoreVariables: 100,
  GetVariable: 50,
  ListVariables: 200,
  GetSuggestions: 200,
  SearchVariables: 200,
};

export const ALARM = {
  /** Evaluate each minute; alarm when 3 of the last 5 minutes breach, so one slow minute does not page. */
  period: Duration.minutes(1),
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
  /** Failure / (Success + Failure), in percent. */
  errorRatePercent: 1,
  /** Any 5xx answered by API Gateway itself or by a function, per minute. */
  api5xxCount: 5,
  /** Lambda throttles per function per minute: any sustained throttling means concurrency is exhausted. */
  lambdaThrottles: 1,
  /** DynamoDB read + write throttle events per table per minute. */
  dynamoThrottleEvents: 1,
  /** Share of CACHE_LIMITS the cache may use before we are told. */
  cacheMemoryRatio: 0.8,
  cacheEcpuRatio: 0.7,
} as const;

/** ElastiCache limits data storage in GB (10^9 bytes). */
const BYTES_PER_GB = 1e9;

/** The levels the cache alarms fire at, derived from the limits so the two cannot disagree. */
export const CACHE_ALARM_AT = {
  bytesUsed: ALARM.cacheMemoryRatio * CACHE_LIMITS.dataStorageGb * BYTES_PER_GB,
  ecpuPerSecond: ALARM.cacheEcpuRatio * CACHE_LIMITS.ecpuPerSecond,
} as const;

/** Log retention for function and access logs: long enough to investigate a month-old run. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;

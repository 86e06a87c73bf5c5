import { Duration } from 'aws-cdk-lib';

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
 * functions/middleware/access-log.ts); the names must match theirs.
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
  /** Per resolve whose lineage could not be written (the resolve still answers), dimensions {service, operation}. */
  lineageWriteFailures: 'LineageWriteFailures',
  /** Dimensions {service, error_code}. */
  errorsByCode: 'Error',
} as const;

/** Lambda timeout, and the request budget kept below it so a slow request ends as 503/504, not a gateway timeout. */
export const FUNCTION_TIMEOUT = Duration.seconds(10);
export const REQUEST_BUDGET_MS = 8000;
export const DEFAULT_MEMORY_MB = 512;

/**
 * ElastiCache Serverless usage ceilings. They cap cost, and they are what the memory and ECPU alarms
 * measure against: a cache at its ceiling is throttled, so we want to hear well before.
 */
export const CACHE_LIMITS = { dataStorageGb: 5, ecpuPerSecond: 15000 } as const;

/**
 * p95 latency targets per operation, in milliseconds: the warning line; critical is 1.5× (STORY-013
 * AC-5: store 100, get 50, list 200, suggestions 200; search, properties, validate and resolve are
 * this service's own targets, written in the README's Deploy section and docs/operations.md).
 */
export const LATENCY_P95_THRESHOLD_MS: Readonly<Record<string, number>> = {
  StoreVariable: 100,
  StoreVariables: 100,
  GetVariable: 50,
  ListVariables: 200,
  GetSuggestions: 200,
  SearchVariables: 200,
  GetProperties: 100,
  ValidateReferences: 100,
  Resolve: 200,
};

export type Severity = 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['warning', 'critical'];

/** Critical fires at 1.5× the warning line (STORY-013's monitor)... */
export const CRITICAL_FACTOR = 1.5;
/** ...capped just below a hard ceiling the metric cannot pass (the timeout, a usage limit). */
export const CRITICAL_CEILING_RATIO = 0.95;

export const ALARM = {
  /** Evaluate each minute; alarm when 3 of the last 5 minutes breach, so one slow minute does not page. */
  period: Duration.minutes(1),
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
  /** Per operation: Failure / (Success + Failure), in percent (warning line). */
  errorRatePercent: 1,
  /** Whole API, as API Gateway counts it: 5xx / Count and 4xx / Count, in percent. */
  api5xxRatePercent: 1,
  /** 4xx includes normal answers (404 for a variable not captured yet), hence a high line. */
  api4xxRatePercent: 20,
  /** Per function: Lambda Errors (crashes, timeouts, out of memory) / Invocations, in percent. */
  lambdaErrorRatePercent: 1,
  /** Per function: Throttles / (Invocations + Throttles), in percent: reserved concurrency exhausted. */
  lambdaThrottleRatePercent: 1,
  /** Per function: p99 Duration as a share of the timeout. */
  durationP99TimeoutRatio: 0.8,
  /** Whole service: p95 of Lambda's init duration (cold starts), from the platform reports. */
  initDurationP95Ms: 1000,
  /** DynamoDB read + write throttle events per table per minute (the SDK's retries absorb a few). */
  dynamoThrottleEvents: 10,
  /** Circuit breakers opened per minute, summed over instances (from the functions' logs). */
  breakerOpens: 1,
  /** Lineage writes that failed per minute (EMF LineageWriteFailures; a resolve answers anyway). */
  lineageWriteFailures: 1,
  /** Share of CACHE_LIMITS the cache may use before we are told. */
  cacheMemoryRatio: 0.8,
  cacheEcpuRatio: 0.7,
} as const;

/** ElastiCache limits data storage in GB (10^9 bytes). */
const BYTES_PER_GB = 1e9;

/** The levels the cache warnings fire at, derived from the limits so the two cannot disagree. */
export const CACHE_ALARM_AT = {
  bytesUsed: ALARM.cacheMemoryRatio * CACHE_LIMITS.dataStorageGb * BYTES_PER_GB,
  ecpuPerSecond: ALARM.cacheEcpuRatio * CACHE_LIMITS.ecpuPerSecond,
} as const;

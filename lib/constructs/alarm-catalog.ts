import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ROUTES } from '#functions/routes';
import { ALARM, CACHE_ALARM_AT, CACHE_LIMITS, LATENCY_P95_THRESHOLD_MS, METRIC } from '../constants';
import type { ApiFunctions } from './api-functions';
import type { CacheNetwork } from './cache-network';
import type { DataTables } from './data-tables';
import type { ExecutionPurge } from './execution-purge';
import type { VariableHttpApi } from './http-api';
import { breakerOpenedMetric, initDurationMetric } from './log-signals';
import { latencyMetric, operationMetric } from './service-metrics';
import { tableAccessFor } from './table-access';
import { watchedFunctions } from './watched-functions';

/** Where an alarm belongs on the page and in docs/operations.md. */
export type AlarmCategory = 'latency' | 'errors' | 'functions' | 'dependencies';

/**
 * What to watch, before severities: the metric, the warning line, and the ceiling (if any) that a
 * critical line must stay below. ServiceAlarms makes a warning and a critical alarm of each.
 */
export interface AlarmSpec {
  /** Construct id and alarm-name stem, e.g. `GetVariableLatencyP95`; docs/operations.md names its family. */
  id: string;
  /** The runbook entry (docs/operations.md) that explains it. */
  family: string;
  category: AlarmCategory;
  metric: cloudwatch.IMetric;
  warning: number;
  /** A value the metric cannot pass (the timeout, a usage limit): critical stays at 95 % of it. */
  ceiling?: number;
  /** `>=` for counts of events ("one or more"), `>` for limits. */
  comparison: 'above' | 'atLeast';
  /** Filled in with the severity's threshold. */
  describe: (threshold: number) => string;
}

export interface AlarmCatalogProps {
  functions: ApiFunctions;
  api: VariableHttpApi;
  tables: DataTables;
  network: CacheNetwork;
  /** The queued purge of deleted executions: its function is watched as the API's are, and its dead letters. */
  purge: ExecutionPurge;
  /** Below this many requests a minute, rate alarms read 0 ("no alarm on 1 failure of 1 request"). */
  minimumRequests: number;
}

/** `IF(total >= min, 100 * part / total, 0)`, missing data read as 0. */
function guardedRate(
  part: string,
  total: string,
  minimum: number,
  usingMetrics: Record<string, cloudwatch.IMetric>,
  label: string,
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `IF(${total} >= ${minimum}, 100 * ${part} / (${total}), 0)`,
    usingMetrics,
    period: ALARM.period,
    label,
  });
}

export function alarmCatalog(props: AlarmCatalogProps): AlarmSpec[] {
  const { api, tables, network, purge, minimumRequests } = props;
  const specs: AlarmSpec[] = [];
  const operations = new Set(ROUTES.map((route) => route.operation));

  for (const [operation, thresholdMs] of Object.entries(LATENCY_P95_THRESHOLD_MS)) {
    // A target for an operation the route table no longer has would watch a metric nobody emits.
    if (!operations.has(operation)) throw new Error(`Latency target for unknown operation '${operation}'`);
    specs.push({
      id: `${operation}LatencyP95`,
      family: 'latency-p95',
      category: 'latency',
      metric: latencyMetric(operation),
      warning: thresholdMs,
      comparison: 'above',
      describe: (t) => `${operation}: handler p95 latency above ${t} ms`,
    });
  }

  for (const route of ROUTES) {
    const metric = guardedRate(
      'FILL(failure, 0)',
      'FILL(success, 0) + FILL(failure, 0)',
      minimumRequests,
      {
        success: operationMetric(METRIC.success, route.operation, 'Sum'),
        failure: operationMetric(METRIC.failure, route.operation, 'Sum'),
      },
      `${route.operation} error rate %`,
    );
    specs.push({
      id: `${route.operation}ErrorRate`,
      family: 'operation-error-rate',
      category: 'errors',
      metric,
      warning: ALARM.errorRatePercent,
      comparison: 'above',
      describe: (t) => `${route.operation}: more than ${t} % of requests answered 5xx (at ${minimumRequests}+ requests a minute)`,
    });
  }

  const { httpApi } = api;
  const count = httpApi.metricCount({ period: ALARM.period, statistic: 'Sum' });
  for (const [kind, metric, warning] of [
    ['5xx', httpApi.metricServerError({ period: ALARM.period, statistic: 'Sum' }), ALARM.api5xxRatePercent],
    ['4xx', httpApi.metricClientError({ period: ALARM.period, statistic: 'Sum' }), ALARM.api4xxRatePercent],
  ] as const) {
    specs.push({
      id: `Api${kind}Rate`,
      family: `api-${kind}-rate`,
      category: 'errors',
      metric: guardedRate('FILL(errors, 0)', 'FILL(requests, 0)', minimumRequests, { errors: metric, requests: count }, `API ${kind} %`),
      warning,
      comparison: 'above',
      describe: (t) => `API Gateway answered ${kind} to more than ${t} % of requests (at ${minimumRequests}+ requests a minute)`,
    });
  }

  // Per function: the alarm names the function, and account-wide Lambda metrics would count other services.
  for (const { fn, name, timeout } of watchedFunctions(props)) {
    const invocations = fn.metricInvocations({ period: ALARM.period, statistic: 'Sum' });
    specs.push({
      id: `${name}LambdaErrors`,
      family: 'lambda-errors',
      category: 'functions',
      metric: guardedRate(
        'FILL(errors, 0)',
        'FILL(invocations, 0)',
        minimumRequests,
        { errors: fn.metricErrors({ period: ALARM.period, statistic: 'Sum' }), invocations },
        `${name} Lambda errors %`,
      ),
      warning: ALARM.lambdaErrorRatePercent,
      comparison: 'above',
      describe: (t) => `${name}: more than ${t} % of invocations crashed, timed out or ran out of memory`,
    });
    specs.push({
      id: `${name}Throttles`,
      family: 'lambda-throttles',
      category: 'functions',
      metric: guardedRate(
        'FILL(throttles, 0)',
        'FILL(invocations, 0) + FILL(throttles, 0)',
        minimumRequests,
        { throttles: fn.metricThrottles({ period: ALARM.period, statistic: 'Sum' }), invocations },
        `${name} throttled %`,
      ),
      warning: ALARM.lambdaThrottleRatePercent,
      comparison: 'above',
      describe: (t) => `${name}: more than ${t} % of invocations throttled (concurrency exhausted)`,
    });
    const timeoutMs = timeout.toMilliseconds();
    specs.push({
      id: `${name}DurationP99`,
      family: 'lambda-duration',
      category: 'functions',
      metric: fn.metricDuration({ period: ALARM.period, statistic: 'p99' }),
      warning: ALARM.durationP99TimeoutRatio * timeoutMs,
      ceiling: timeoutMs,
      comparison: 'above',
      describe: (t) => `${name}: p99 duration above ${t} ms (${Math.round((100 * t) / timeoutMs)} % of the ${timeoutMs} ms timeout)`,
    });
  }
  specs.push({
    id: 'PurgeDeadLetters',
    family: 'purge-dead-letters',
    category: 'functions',
    metric: purge.deadLetters.metricApproximateNumberOfMessagesVisible({ period: ALARM.period, statistic: 'Maximum' }),
    warning: 1,
    comparison: 'atLeast',
    describe: (t) => `${t} or more purges in the dead-letter queue: a deleted execution's retired data failed to be purged 5 times`,
  });
  specs.push({
    id: 'InitDurationP95',
    family: 'init-duration',
    category: 'functions',
    metric: initDurationMetric('p95'),
    warning: ALARM.initDurationP95Ms,
    comparison: 'above',
    describe: (t) => `Cold starts: p95 init duration above ${t} ms`,
  });

  for (const table of tables.all) {
    const name = table.node.id;
    const metric = new cloudwatch.MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: {
        reads: table.metric('ReadThrottleEvents', { period: ALARM.period, statistic: 'Sum' }),
        writes: table.metric('WriteThrottleEvents', { period: ALARM.period, statistic: 'Sum' }),
      },
      period: ALARM.period,
      label: `${name} throttle events`,
    });
    specs.push({
      id: `${name}TableThrottles`,
      family: 'dynamodb-throttles',
      category: 'dependencies',
      metric,
      warning: ALARM.dynamoThrottleEvents,
      comparison: 'atLeast',
      describe: (t) => `DynamoDB ${name} table: ${t} or more throttled requests a minute`,
    });
  }

  for (const dependency of ['database', 'cache'] as const) {
    specs.push({
      id: `${dependency === 'database' ? 'Database' : 'Cache'}BreakerOpened`,
      family: `${dependency}-breaker`,
      category: 'dependencies',
      metric: breakerOpenedMetric(dependency),
      warning: ALARM.breakerOpens,
      comparison: 'atLeast',
      describe: (t) => `The ${dependency} circuit breaker opened ${t} or more times a minute (summed over instances)`,
    });
  }

  // Lineage is written by the routes that may only write the references table (table-access.ts: recording lineage is write-only).
  const lineageWriters = ROUTES.filter((route) => tableAccessFor(route).references === 'write');
  if (lineageWriters.length > 0) {
    const usingMetrics = Object.fromEntries(
      lineageWriters.map((route, i) => [`m${i}`, operationMetric(METRIC.lineageWriteFailures, route.operation, 'Sum')]),
    );
    specs.push({
      id: 'LineageWriteFailures',
      family: 'lineage-write-failures',
      category: 'dependencies',
      metric: new cloudwatch.MathExpression({
        expression: Object.keys(usingMetrics)
          .map((key) => `FILL(${key}, 0)`)
          .join(' + '),
        usingMetrics,
        period: ALARM.period,
        label: 'lineage write failures',
      }),
      warning: ALARM.lineageWriteFailures,
      comparison: 'atLeast',
      describe: (t) => `${t} or more lineage writes a minute failed (resolves answered, lineage lost)`,
    });
  }

  const cacheMetric = (metricName: string, statistic: string) =>
    // Serverless caches publish under their name as `clusterId`.
    new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName,
      dimensionsMap: { clusterId: network.cacheName },
      statistic,
      period: ALARM.period,
    });
  const bytesLimit = CACHE_LIMITS.dataStorageGb * 1e9;
  specs.push({
    id: 'CacheMemory',
    family: 'cache-memory',
    category: 'dependencies',
    metric: cacheMetric('BytesUsedForCache', 'Maximum'),
    warning: CACHE_ALARM_AT.bytesUsed,
    ceiling: bytesLimit,
    comparison: 'above',
    describe: (t) => `Valkey data above ${Math.round((100 * t) / bytesLimit)} % of its ${CACHE_LIMITS.dataStorageGb} GB limit`,
  });
  // ECPUs are reported as a count per period; the limit is per second.
  specs.push({
    id: 'CacheProcessingUnits',
    family: 'cache-ecpu',
    category: 'dependencies',
    metric: new cloudwatch.MathExpression({
      expression: 'ecpu / PERIOD(ecpu)',
      usingMetrics: { ecpu: cacheMetric('ElastiCacheProcessingUnits', 'Sum') },
      period: ALARM.period,
      label: 'ECPU per second',
    }),
    warning: CACHE_ALARM_AT.ecpuPerSecond,
    ceiling: CACHE_LIMITS.ecpuPerSecond,
    comparison: 'above',
    describe: (t) =>
      `Valkey ECPU above ${Math.round((100 * t) / CACHE_LIMITS.ecpuPerSecond)} % of its ${CACHE_LIMITS.ecpuPerSecond}/s limit`,
  });
  return specs;
}

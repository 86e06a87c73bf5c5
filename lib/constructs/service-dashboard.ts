import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition } from '#functions/routes';
import { CACHE_ALARM_AT, LATENCY_P95_THRESHOLD_MS, METRIC } from '../constants';
import type { ApiFunctions } from './api-functions';
import type { CacheNetwork } from './cache-network';
import type { DataTables } from './data-tables';
import type { ExecutionPurge } from './execution-purge';
import type { VariableHttpApi } from './http-api';
import { breakerOpenedMetric, initDurationMetric } from './log-signals';
import { latencyMetric, operationMetric, searchMetric } from './service-metrics';
import { watchedFunctions } from './watched-functions';

export interface ServiceDashboardProps {
  functions: ApiFunctions;
  api: VariableHttpApi;
  tables: DataTables;
  network: CacheNetwork;
  /** The queued purge: its function beside the API's, and its queue and dead letters. */
  purge: ExecutionPurge;
  /** Shown first, so the page opens on what is wrong right now (the paging and per-category composites). */
  alarms: cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(1);
const WIDE = 12;
const THIRD = 8;

/**
 * One page for the service: how fast each operation is, how often it fails, how well the cache
 * tiers work, whether breakers trip and DynamoDB retries, and the platform limits underneath.
 */
export class ServiceDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });

    const fns = watchedFunctions(props);
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 4 }));
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: "## Latency per operation (ms): handler p50/p95/p99 beside the gateway's p95 for the route",
        width: 24,
        height: 1,
      }),
    );
    this.dashboard.addWidgets(...ROUTES.map((route) => latencyWidget(route, props.api)));

    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '## Outcomes, cache and resilience', width: 24, height: 1 }));
    this.dashboard.addWidgets(
      graph(
        'Successful requests',
        ROUTES.map((route) => countByOperation(METRIC.success, route.operation)),
        WIDE,
      ),
      graph(
        'Failed requests',
        ROUTES.map((route) => countByOperation(METRIC.failure, route.operation)),
        WIDE,
      ),
    );
    // The metrics below carry dimensions the code chooses (tier, error_code, …): SEARCH shows every series.
    this.dashboard.addWidgets(
      graph('Cache hits by tier (L1, L2)', [searchMetric(METRIC.cacheHit, 'Sum')], THIRD),
      graph('Cache misses by tier (L1, L2)', [searchMetric(METRIC.cacheMiss, 'Sum')], THIRD),
      graph('Circuit breaker state changes', [searchMetric(METRIC.breakerStates, 'Sum')], THIRD),
    );
    this.dashboard.addWidgets(
      graph(
        'DynamoDB retries and throttles (client side)',
        [searchMetric([METRIC.databaseRetries, METRIC.databaseThrottles], 'Sum')],
        WIDE,
      ),
      graph('Errors by code', [searchMetric(METRIC.errorsByCode, 'Sum')], WIDE),
    );

    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '## Platform', width: 24, height: 1 }));
    const { httpApi } = props.api;
    this.dashboard.addWidgets(
      graph(
        'API requests and errors',
        [
          httpApi.metricCount({ period: PERIOD, statistic: 'Sum' }),
          httpApi.metricClientError({ period: PERIOD, statistic: 'Sum' }),
          httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' }),
        ],
        THIRD,
      ),
      graph(
        'Lambda throttles',
        fns.map(({ fn, name }) => fn.metricThrottles({ period: PERIOD, statistic: 'Sum', label: name })),
        THIRD,
      ),
      graph(
        'DynamoDB throttle events',
        props.tables.all.flatMap((table) => [
          table.metric('ReadThrottleEvents', { period: PERIOD, statistic: 'Sum', label: `${table.node.id} reads` }),
          table.metric('WriteThrottleEvents', { period: PERIOD, statistic: 'Sum', label: `${table.node.id} writes` }),
        ]),
        THIRD,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors (crashes, timeouts)',
        fns.map(({ fn, name }) => fn.metricErrors({ period: PERIOD, statistic: 'Sum', label: name })),
        THIRD,
      ),
      graph(
        'Lambda duration p99 (ms)',
        fns.map(({ fn, name }) => fn.metricDuration({ period: PERIOD, statistic: 'p99', label: name })),
        THIRD,
      ),
      graph(
        'Cold starts: init duration p95 / max (ms)',
        [initDurationMetric('p95').with({ label: 'p95' }), initDurationMetric('Maximum').with({ label: 'max' })],
        THIRD,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Breakers opened (from logs)',
        [breakerOpenedMetric('database').with({ label: 'database' }), breakerOpenedMetric('cache').with({ label: 'cache' })],
        THIRD,
      ),
      graph('Lineage write failures', [searchMetric(METRIC.lineageWriteFailures, 'Sum')], THIRD),
      graph(
        'Gateway latency p95, whole API (ms)',
        [
          props.api.httpApi.metricLatency({ period: PERIOD, statistic: 'p95' }),
          props.api.httpApi.metricIntegrationLatency({ period: PERIOD, statistic: 'p95' }),
        ],
        THIRD,
      ),
    );
    const { queue, deadLetters } = props.purge;
    this.dashboard.addWidgets(
      graph(
        'Purge queue: waiting, oldest (s), dead letters',
        [
          queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'waiting' }),
          queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum', label: 'oldest (s)' }),
          deadLetters.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'dead letters' }),
        ],
        THIRD,
      ),
      cacheWidget('Valkey data (bytes)', props.network, 'BytesUsedForCache', 'Maximum', CACHE_ALARM_AT.bytesUsed),
      cacheWidget(
        'Valkey ECPU per minute',
        props.network,
        'ElastiCacheProcessingUnits',
        'Sum',
        CACHE_ALARM_AT.ecpuPerSecond * PERIOD.toSeconds(),
      ),
    );
  }
}

/**
 * The gateway's view of one route (detailed metrics: dimensions ApiId, Stage, Method, Resource):
 * Latency includes the authorizer, the integration and Lambda's cold starts the handler never sees.
 */
export function gatewayRouteLatency(api: VariableHttpApi, route: RouteDefinition, statistic = 'p95'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApiGateway',
    metricName: 'Latency',
    dimensionsMap: { ApiId: api.httpApi.apiId, Stage: api.stage.stageName, Method: route.method, Resource: route.path },
    statistic,
    period: PERIOD,
  });
}

function latencyWidget(route: RouteDefinition, api: VariableHttpApi): cloudwatch.GraphWidget {
  const { operation } = route;
  const target = LATENCY_P95_THRESHOLD_MS[operation];
  return new cloudwatch.GraphWidget({
    title: operation,
    width: THIRD,
    height: 5,
    left: [
      ...['p50', 'p95', 'p99'].map((statistic) => latencyMetric(operation, statistic, PERIOD).with({ label: `handler ${statistic}` })),
      gatewayRouteLatency(api, route).with({ label: 'gateway p95' }),
    ],
    leftAnnotations: target === undefined ? [] : [{ value: target, label: `p95 target ${target} ms`, color: cloudwatch.Color.RED }],
    leftYAxis: { min: 0 },
  });
}

function countByOperation(metricName: string, operation: string): cloudwatch.Metric {
  return operationMetric(metricName, operation, 'Sum', PERIOD).with({ label: operation });
}

function graph(title: string, metrics: cloudwatch.IMetric[], width: number): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left: metrics, width, height: 6, leftYAxis: { min: 0 } });
}

function cacheWidget(
  title: string,
  network: CacheNetwork,
  metricName: string,
  statistic: string,
  alarmLine: number,
): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    width: THIRD,
    height: 6,
    left: [
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { clusterId: network.cacheName },
        statistic,
        period: PERIOD,
      }),
    ],
    leftAnnotations: [{ value: alarmLine, label: 'alarm', color: cloudwatch.Color.RED }],
    leftYAxis: { min: 0 },
  });
}

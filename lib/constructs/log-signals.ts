import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ALARM, METRICS_NAMESPACE } from '../constants';

/** Metrics this construct derives from the functions' JSON logs (namespace METRICS_NAMESPACE). */
export const LOG_METRIC = {
  /** Dimension `dependency` = database | cache | lineage | suggestions; value 1 per breaker that opened. */
  breakerOpened: 'BreakerOpened',
  /** Milliseconds, from Lambda's `platform.report` of every cold start. */
  initDuration: 'InitDuration',
} as const;

/** The log line signals.breakerStateChange writes (functions/observability/signals.ts). */
const BREAKER_MESSAGE = 'circuit breaker changed state';

export interface LogSignalsProps {
  logGroups: logs.ILogGroup[];
}

/**
 * Two signals the functions' EMF metrics cannot give an alarm:
 *
 * - which breaker opened: `BreakerStateOpen` (EMF) does not say which dependency, but the log line
 *   beside it does (`dependency`, `state`), so a metric filter turns it into `BreakerOpened` with a
 *   `dependency` dimension — the database's breaker (clients get 503) and the cache's (slower, still
 *   correct) deserve different alarms;
 * - init duration: Lambda publishes no metric for it; with the JSON log format its
 *   `platform.report` record carries `record.metrics.initDurationMs` on every cold start.
 *
 * One filter per function log group, all publishing into the same metric, so one alarm watches the
 * whole service.
 */
export class LogSignals extends Construct {
  constructor(scope: Construct, id: string, props: LogSignalsProps) {
    super(scope, id);
    props.logGroups.forEach((logGroup, index) => {
      new logs.MetricFilter(this, `BreakerOpened${index}`, {
        logGroup,
        filterPattern: logs.FilterPattern.all(
          logs.FilterPattern.stringValue('$.message', '=', BREAKER_MESSAGE),
          logs.FilterPattern.stringValue('$.state', '=', 'open'),
        ),
        metricNamespace: METRICS_NAMESPACE,
        metricName: LOG_METRIC.breakerOpened,
        metricValue: '1',
        dimensions: { dependency: '$.dependency' },
        unit: cloudwatch.Unit.COUNT,
      });
      new logs.MetricFilter(this, `InitDuration${index}`, {
        logGroup,
        filterPattern: logs.FilterPattern.all(
          logs.FilterPattern.stringValue('$.type', '=', 'platform.report'),
          logs.FilterPattern.exists('$.record.metrics.initDurationMs'),
        ),
        metricNamespace: METRICS_NAMESPACE,
        metricName: LOG_METRIC.initDuration,
        metricValue: '$.record.metrics.initDurationMs',
        unit: cloudwatch.Unit.MILLISECONDS,
      });
    });
  }
}

export function breakerOpenedMetric(dependency: 'database' | 'cache'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: LOG_METRIC.breakerOpened,
    dimensionsMap: { dependency },
    statistic: 'Sum',
    period: ALARM.period,
  });
}

export function initDurationMetric(statistic = 'p95'): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: LOG_METRIC.initDuration, statistic, period: ALARM.period });
}

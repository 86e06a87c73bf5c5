import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ALARM, METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../constants';

/**
 * The functions' own EMF metrics. Powertools Metrics puts the `service` dimension on every metric
 * next to the ones the code adds, and CloudWatch matches the whole dimension set, so alarms name
 * both `service` and `operation`.
 */
export function operationMetric(metricName: string, operation: string, statistic: string, period = ALARM.period): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, operation },
    statistic,
    period,
    // No label here: a labelled metric renders as a metric-math query, which alarms do not need.
  });
}

/** p95 (or other percentile) of the in-handler latency the functions record, in milliseconds. */
export function latencyMetric(operation: string, statistic = 'p95', period = ALARM.period): cloudwatch.Metric {
  // No `unit` filter: an alarm with one ignores data published under any other unit.
  return operationMetric(METRIC.latency, operation, statistic, period);
}

/**
 * Every series of the named custom metrics, whatever dimensions they carry (tier, error_code, the
 * request's operation, …). For dashboards only: alarms cannot use SEARCH.
 */
export function searchMetric(
  metricNames: string | readonly string[],
  statistic: string,
  period: Duration = Duration.minutes(1),
): cloudwatch.MathExpression {
  const names = (typeof metricNames === 'string' ? [metricNames] : metricNames).map((name) => `MetricName="${name}"`).join(' OR ');
  return new cloudwatch.MathExpression({
    expression: `SEARCH('Namespace="${METRICS_NAMESPACE}" (${names})', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    // A fixed label would name every series alike; ${LABEL} keeps each one's own (name and dimension values).
    label: '${LABEL}',
    period,
  });
}

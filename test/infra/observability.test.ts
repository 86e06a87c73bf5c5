import { Match } from 'aws-cdk-lib/assertions';
import { ROUTES } from '#functions/routes';
import { ALARM, CACHE_LIMITS, LATENCY_P95_THRESHOLD_MS } from '../../lib/constants';
import { resourcesOf, synthStack } from './template';

const { template } = synthStack();
const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties!);

function serviceMetric(metricName: string, operation: string) {
  return {
    Namespace: 'VariableService',
    MetricName: metricName,
    Dimensions: Match.arrayWith([{ Name: 'operation', Value: operation }, { Name: 'service', Value: 'variable-service' }]),
  };
}

describe('latency alarms', () => {
  it.each([
    ['StoreVariable', 100],
    ['StoreVariables', 100],
    ['GetVariable', 50],
    ['ListVariables', 200],
    ['GetSuggestions', 200],
    ['SearchVariables', 200],
  ])('%s: p95 Latency above %i ms for 3 of 5 minutes', (operation, thresholdMs) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...serviceMetric('Latency', operation),
      ExtendedStatistic: 'p95',
      Period: 60,
      Threshold: thresholdMs,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
  });

  it('covers exactly the operations with a documented target', () => {
    const latency = alarms.filter((alarm) => alarm.MetricName === 'Latency');
    expect(latency).toHaveLength(Object.keys(LATENCY_P95_THRESHOLD_MS).length);
  });
});

describe('error-rate alarms', () => {
  it.each(ROUTES.map((route) => route.operation))('%s: Failure / (Success + Failure) above 1 %% for 3 of 5 minutes', (operation) => {
    const alarm = alarms.find((candidate) =>
      (candidate.Metrics ?? []).some((query: any) => query.MetricStat?.Metric.MetricName === 'Failure' && query.MetricStat.Metric.Dimensions.some((d: any) => d.Value === operation)),
    );
    expect(alarm).toBeDefined();
    expect(alarm!.Threshold).toBe(1);
    expect(alarm!.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(alarm!.EvaluationPeriods).toBe(5);
    expect(alarm!.DatapointsToAlarm).toBe(3);
    const expression = alarm!.Metrics.find((query: any) => query.Expression).Expression as string;
    expect(expression.replace(/\s/g, '')).toBe('100*FILL(failure,0)/(FILL(success,0)+FILL(failure,0))');
    const names = alarm!.Metrics.filter((query: any) => query.MetricStat).map((query: any) => query.MetricStat.Metric.MetricName).sort();
    expect(names).toEqual(['Failure', 'Success']);
  });
});

describe('platform alarms', () => {
  it('watches API Gateway 5xx', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Statistic: 'Sum', Threshold: ALARM.api5xxCount });
  });

  it('watches Lambda throttles of every function', () => {
    const throttles = alarms.filter((alarm) => alarm.Namespace === 'AWS/Lambda' && alarm.MetricName === 'Throttles');
    expect(throttles).toHaveLength(ROUTES.length + 1);
    for (const alarm of throttles) {
      expect(alarm.Threshold).toBe(1);
      expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    }
  });

  it('watches read and write throttle events of each table', () => {
    const dynamo = alarms.filter((alarm) => (alarm.Metrics ?? []).some((query: any) => query.MetricStat?.Metric.Namespace === 'AWS/DynamoDB'));
    expect(dynamo).toHaveLength(3);
    for (const alarm of dynamo) {
      const names = alarm.Metrics.filter((query: any) => query.MetricStat).map((query: any) => query.MetricStat.Metric.MetricName).sort();
      expect(names).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
      expect(alarm.Threshold).toBe(1);
    }
  });

  it('watches cache memory at 80 % of the configured limit', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ElastiCache',
      MetricName: 'BytesUsedForCache',
      Dimensions: [{ Name: 'clusterId', Value: Match.anyValue() }],
      Threshold: 0.8 * CACHE_LIMITS.dataStorageGb * 1e9,
    });
  });

  it('watches cache ECPU per second at 70 % of the configured limit', () => {
    const ecpu = alarms.find((alarm) => (alarm.Metrics ?? []).some((query: any) => query.MetricStat?.Metric.MetricName === 'ElastiCacheProcessingUnits'));
    expect(ecpu).toBeDefined();
    expect(ecpu!.Threshold).toBe(0.7 * CACHE_LIMITS.ecpuPerSecond);
    expect(ecpu!.Metrics.find((query: any) => query.Expression).Expression).toBe('ecpu / PERIOD(ecpu)');
  });

  it('notifies one topic on alarm and on recovery', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toHaveLength(1);
      expect(alarm.OKActions).toEqual(alarm.AlarmActions);
    }
  });
});

describe('dashboard', () => {
  const body = JSON.stringify(template.toJSON().Resources[Object.keys(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0]].Properties.DashboardBody);

  it.each(['p50', 'p95', 'p99'])('plots %s latency', (statistic) => {
    expect(body).toContain(`"stat\\":\\"${statistic}\\"`);
  });

  it.each(['Success', 'Failure', 'CacheHit', 'CacheMiss', 'BreakerStateOpen', 'BreakerStateHalfopen', 'BreakerStateClosed', 'DatabaseRetries'])('plots %s', (metricName) => {
    expect(body).toContain(metricName);
  });

  it('opens on the status of every alarm', () => {
    expect(body).toContain('\\"type\\":\\"alarm\\"');
    for (const id of Object.keys(resourcesOf(template, 'AWS::CloudWatch::Alarm'))) expect(body).toContain(`{"Fn::GetAtt":["${id}","Arn"]}`);
  });

  it('plots latency for every operation', () => {
    for (const route of ROUTES) expect(body).toContain(`\\"title\\":\\"${route.operation}\\"`);
  });
});

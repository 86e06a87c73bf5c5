import { ROUTES } from '#functions/routes';
import { ALARM, CACHE_LIMITS } from '../../lib/constants';
import { criticalThreshold } from '../../lib/constructs/service-alarms';
import { stageConfigs } from '../../lib/stages';
import { resourcesOf, synthStack } from './template';

// dev (the default stage): alarms and their thresholds are the same in every stage; only recipients
// and the minimum request count differ (stages.test.ts).
const { template } = synthStack();
const resources = template.toJSON().Resources;
const alarmResources = resourcesOf(template, 'AWS::CloudWatch::Alarm');
const alarms = Object.values(alarmResources).map((alarm) => alarm.Properties!);
const composites = resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm');
const minimum = stageConfigs().dev.alarmMinimumRequests;
const FUNCTIONS = [...ROUTES.map((route) => route.operation), 'Fallback'];

const named = (stem: string, severity: 'warning' | 'critical') => {
  const found = alarms.filter((alarm) => alarm.AlarmName === `VariableService-${stem}-${severity}`);
  expect(found).toHaveLength(1);
  return found[0];
};
const expressionOf = (alarm: Record<string, any>) =>
  (alarm.Metrics.find((query: any) => query.Expression).Expression as string).replace(/\s/g, '');
const metricNamesOf = (alarm: Record<string, any>) =>
  alarm.Metrics.filter((query: any) => query.MetricStat)
    .map((query: any) => query.MetricStat.Metric.MetricName)
    .sort();
/** Logical ids a composite's rule names. */
const childrenOf = (composite: Record<string, any>): string[] =>
  [...JSON.stringify(composite.Properties.AlarmRule).matchAll(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/g)].map((match) => match[1]);

describe('two severities: warning at the line, critical at 1.5× (capped below a hard ceiling)', () => {
  it('criticalThreshold scales by 1.5 and stays at 95 % of a ceiling', () => {
    expect(criticalThreshold({ warning: 100 })).toBe(150);
    expect(criticalThreshold({ warning: 8000, ceiling: 10000 })).toBe(9500);
    expect(criticalThreshold({ warning: 0.8, ceiling: 1 })).toBe(0.95);
  });

  it('makes every alarm in both severities, evaluated 3 of 5 minutes, quiet without data, notifying nobody itself', () => {
    const bySeverity = (severity: string) => alarms.filter((alarm) => alarm.AlarmName.endsWith(`-${severity}`)).length;
    expect(bySeverity('warning')).toBe(alarms.length / 2);
    expect(bySeverity('critical')).toBe(alarms.length / 2);
    for (const alarm of alarms) {
      expect(alarm).toEqual(expect.objectContaining({ EvaluationPeriods: 5, DatapointsToAlarm: 3, TreatMissingData: 'notBreaching' }));
      expect(alarm.AlarmActions).toBeUndefined();
      expect(alarm.AlarmDescription).toMatch(/docs\/operations\.md#[a-z0-9-]+$/);
    }
  });
});

/** The p95 targets, written from STORY-013 and DESIGN.md here, not read from the constants the stack uses. */
const LATENCY_TARGETS: [string, number][] = [
  ['StoreVariable', 100],
  ['StoreVariables', 100],
  ['GetVariable', 50],
  ['ListVariables', 200],
  ['GetSuggestions', 200],
  ['SearchVariables', 200],
  ['GetProperties', 100],
  ['ValidateReferences', 100],
  ['Resolve', 200],
];

describe('latency alarms (handler p95 per operation)', () => {
  it.each(LATENCY_TARGETS)('%s: warning above %i ms, critical above 1.5×', (operation, thresholdMs) => {
    for (const [severity, threshold] of [
      ['warning', thresholdMs],
      ['critical', 1.5 * thresholdMs],
    ] as const) {
      expect(named(`${operation}LatencyP95`, severity)).toEqual(
        expect.objectContaining({
          Namespace: 'VariableService',
          MetricName: 'Latency',
          ExtendedStatistic: 'p95',
          Period: 60,
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanThreshold',
          Dimensions: expect.arrayContaining([
            { Name: 'operation', Value: operation },
            { Name: 'service', Value: 'variable-service' },
          ]),
        }),
      );
    }
  });

  it('covers exactly the operations with a documented target', () => {
    expect(alarms.filter((alarm) => alarm.MetricName === 'Latency')).toHaveLength(2 * LATENCY_TARGETS.length);
  });
});

describe('rates need a minimum request count (no alarm on 1 failure of 1 request)', () => {
  it.each(ROUTES.map((route) => route.operation))('%s: Failure / (Success + Failure) above 1 %% / 1.5 %%', (operation) => {
    const warning = named(`${operation}ErrorRate`, 'warning');
    expect(expressionOf(warning)).toBe(
      `IF(FILL(success,0)+FILL(failure,0)>=${minimum},100*FILL(failure,0)/(FILL(success,0)+FILL(failure,0)),0)`,
    );
    expect(metricNamesOf(warning)).toEqual(['Failure', 'Success']);
    expect(warning.Threshold).toBe(ALARM.errorRatePercent);
    expect(named(`${operation}ErrorRate`, 'critical').Threshold).toBe(1.5 * ALARM.errorRatePercent);
  });

  it.each([
    ['5xx', ALARM.api5xxRatePercent],
    ['4xx', ALARM.api4xxRatePercent],
  ] as const)('API Gateway %s rate above %i %%', (kind, percent) => {
    const warning = named(`Api${kind}Rate`, 'warning');
    expect(expressionOf(warning)).toBe(`IF(FILL(requests,0)>=${minimum},100*FILL(errors,0)/(FILL(requests,0)),0)`);
    expect(metricNamesOf(warning)).toEqual(['Count', kind].sort());
    expect(warning.Threshold).toBe(percent);
    expect(named(`Api${kind}Rate`, 'critical').Threshold).toBe(1.5 * percent);
  });
});

describe('Lambda alarms, per function', () => {
  it.each(FUNCTIONS)('%s: error rate, throttle rate, p99 duration at 80 %% / 95 %% of the timeout', (fn) => {
    const errors = named(`${fn}LambdaErrors`, 'warning');
    expect(metricNamesOf(errors)).toEqual(['Errors', 'Invocations']);
    expect(errors.Threshold).toBe(ALARM.lambdaErrorRatePercent);
    const throttles = named(`${fn}Throttles`, 'warning');
    expect(metricNamesOf(throttles)).toEqual(['Invocations', 'Throttles']);
    expect(expressionOf(throttles)).toContain(`>=${minimum}`);
    expect(named(`${fn}Throttles`, 'critical').Threshold).toBe(1.5 * ALARM.lambdaThrottleRatePercent);
    const duration = named(`${fn}DurationP99`, 'warning');
    expect(duration).toEqual(
      expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 8000 }),
    );
    expect(named(`${fn}DurationP99`, 'critical').Threshold).toBe(9500);
  });

  it('the queued purge: the same three, its duration lines at 80 % / 95 % of its own 60 s timeout', () => {
    expect(metricNamesOf(named('PurgeExecutionLambdaErrors', 'warning'))).toEqual(['Errors', 'Invocations']);
    expect(metricNamesOf(named('PurgeExecutionThrottles', 'warning'))).toEqual(['Invocations', 'Throttles']);
    expect(named('PurgeExecutionDurationP99', 'warning')).toEqual(expect.objectContaining({ MetricName: 'Duration', Threshold: 48_000 }));
    expect(named('PurgeExecutionDurationP99', 'critical').Threshold).toBe(57_000);
  });

  it("the purge's dead letters: one message warns, two page", () => {
    const warning = named('PurgeDeadLetters', 'warning');
    expect(warning).toEqual(
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    const [queueRef] = JSON.stringify(warning.Dimensions).match(/ExecutionPurgeDeadLetters[A-Za-z0-9]+/) ?? [];
    expect(queueRef).toBeDefined();
    expect(named('PurgeDeadLetters', 'critical').Threshold).toBe(1.5);
  });

  it('init duration: a metric filter on every function log reads platform.report, one alarm pair watches p95', () => {
    const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter')).map((filter) => filter.Properties!);
    const init = filters.filter((filter) => filter.MetricTransformations[0].MetricName === 'InitDuration');
    expect(init).toHaveLength(FUNCTIONS.length);
    for (const filter of init) {
      expect(filter.FilterPattern).toContain('$.type = "platform.report"');
      expect(filter.MetricTransformations[0].MetricValue).toBe('$.record.metrics.initDurationMs');
    }
    expect(named('InitDurationP95', 'warning')).toEqual(
      expect.objectContaining({ MetricName: 'InitDuration', ExtendedStatistic: 'p95', Threshold: ALARM.initDurationP95Ms }),
    );
    expect(named('InitDurationP95', 'critical').Threshold).toBe(1.5 * ALARM.initDurationP95Ms);
  });
});

describe("dependencies, from the service's own signals", () => {
  it.each([
    ['Database', 'database'],
    ['Cache', 'cache'],
  ])('%s breaker opened: a BreakerOpened{dependency=%s} metric from the breaker log line', (stem, dependency) => {
    const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter')).map((filter) => filter.Properties!);
    const breaker = filters.filter((filter) => filter.MetricTransformations[0].MetricName === 'BreakerOpened');
    expect(breaker).toHaveLength(FUNCTIONS.length);
    for (const filter of breaker) {
      expect(filter.FilterPattern).toBe('{ ($.message = "circuit breaker changed state") && ($.state = "open") }');
      expect(filter.MetricTransformations[0].Dimensions).toEqual([{ Key: 'dependency', Value: '$.dependency' }]);
    }
    const warning = named(`${stem}BreakerOpened`, 'warning');
    expect(warning).toEqual(
      expect.objectContaining({
        MetricName: 'BreakerOpened',
        Dimensions: [{ Name: 'dependency', Value: dependency }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
  });

  it('lineage write failures: EMF LineageWriteFailures of the routes that record lineage', () => {
    const warning = named('LineageWriteFailures', 'warning');
    expect(metricNamesOf(warning)).toEqual(['LineageWriteFailures']);
    expect(JSON.stringify(warning.Metrics)).toContain('"Value":"Resolve"');
    expect(warning.Threshold).toBe(1);
  });

  it('DynamoDB throttle events per table, cache memory and ECPU below their limits', () => {
    for (const table of ['Variables', 'References', 'Idempotency']) {
      expect(metricNamesOf(named(`${table}TableThrottles`, 'warning'))).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    }
    expect(named('CacheMemory', 'warning').Threshold).toBe(0.8 * CACHE_LIMITS.dataStorageGb * 1e9);
    expect(named('CacheMemory', 'critical').Threshold).toBe(0.95 * CACHE_LIMITS.dataStorageGb * 1e9);
    expect(named('CacheProcessingUnits', 'warning').Threshold).toBe(0.7 * CACHE_LIMITS.ecpuPerSecond);
    expect(named('CacheProcessingUnits', 'critical').Threshold).toBe(0.95 * CACHE_LIMITS.ecpuPerSecond);
  });
});

describe('paging: one composite per severity', () => {
  const paging = (severity: string) =>
    Object.entries(composites).find(([, composite]) => composite.Properties!.AlarmName === `VariableService-${severity}`)!;

  it.each(['warning', 'critical'])('%s: the composite reaches every %s alarm and alone notifies its own TLS-only topic', (severity) => {
    const [, top] = paging(severity);
    const reached = new Set<string>();
    const visit = (id: string) => {
      reached.add(id);
      if (composites[id]) childrenOf(composites[id]).forEach(visit);
    };
    childrenOf(top).forEach(visit);
    const ofSeverity = Object.entries(alarmResources)
      .filter(([, alarm]) => alarm.Properties!.AlarmName.endsWith(`-${severity}`))
      .map(([id]) => id);
    for (const id of ofSeverity) expect(reached).toContain(id);
    for (const [id, composite] of Object.entries(composites)) {
      expect(childrenOf(composite).length).toBeLessThanOrEqual(40); // a rule is at most 10,240 characters
      if (id !== paging(severity)[0] && composite.Properties!.AlarmName.startsWith(`VariableService-${severity}`))
        expect(composite.Properties!.AlarmActions).toBeUndefined();
    }
    const topicId = top.Properties!.AlarmActions[0].Ref;
    expect(resources[topicId].Type).toBe('AWS::SNS::Topic');
    expect(top.Properties!.OKActions).toEqual(top.Properties!.AlarmActions);
    const policy = Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy')).find((p) =>
      JSON.stringify(p.Properties!.Topics).includes(topicId),
    )!;
    expect(JSON.stringify(policy.Properties!.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('keeps the two severities on different topics', () => {
    expect(paging('warning')[1].Properties!.AlarmActions).not.toEqual(paging('critical')[1].Properties!.AlarmActions);
  });
});

describe('dashboard', () => {
  const body = JSON.stringify(
    template.toJSON().Resources[Object.keys(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0]].Properties.DashboardBody,
  );

  it.each(['p50', 'p95', 'p99'])('plots handler %s latency', (statistic) => {
    expect(body).toContain(`"stat\\":\\"${statistic}\\"`);
  });

  it('plots the gateway latency of every route beside its handler latency', () => {
    for (const route of ROUTES) {
      expect(body).toContain(`\\"title\\":\\"${route.operation}\\"`);
      expect(body).toContain(`\\"Method\\",\\"${route.method}\\",\\"Resource\\",\\"${route.path}\\"`);
    }
  });

  it.each([
    'Success',
    'Failure',
    'CacheHit',
    'CacheMiss',
    'BreakerStateOpen',
    'BreakerOpened',
    'DatabaseRetries',
    'LineageWriteFailures',
    'InitDuration',
  ])('plots %s', (metricName) => {
    expect(body).toContain(metricName);
  });

  it('plots the queued purge beside the API functions, and its queue: waiting, oldest, dead letters', () => {
    expect(body).toContain('\\"label\\":\\"PurgeExecution\\"');
    for (const metricName of ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']) expect(body).toContain(metricName);
    expect(body).toContain('dead letters');
  });

  it('opens on the status of the paging and per-category composites', () => {
    expect(body).toContain('\\"type\\":\\"alarm\\"');
    for (const id of Object.keys(composites)) expect(body).toContain(`{"Fn::GetAtt":["${id}","Arn"]}`);
  });
});

describe('saved Logs Insights queries (docs/operations.md)', () => {
  it('saves the runbook queries over the function logs and the access log', () => {
    const queries = Object.values(resourcesOf(template, 'AWS::Logs::QueryDefinition')).map((query) => query.Properties!);
    expect(queries.map((query) => query.Name).sort()).toEqual(
      ['cold-starts-and-timeouts', 'dependency-events', 'failed-requests', 'gateway-refusals', 'slow-requests', 'unhandled-errors'].map(
        (name) => `VariableService/${name}`,
      ),
    );
    const slow = queries.find((query) => query.Name.endsWith('/slow-requests'))!;
    expect(slow.LogGroupNames).toHaveLength(FUNCTIONS.length);
    expect(slow.QueryString).toContain('pct(latency_ms, 95)');
  });
});

describe('runbook (docs/operations.md)', () => {
  const runbook = require('node:fs').readFileSync(require('node:path').resolve(__dirname, '../../docs/operations.md'), 'utf8') as string;

  it('has an entry for every alarm family the stack creates, which each alarm description links to', () => {
    const families = new Set(alarms.map((alarm) => alarm.AlarmDescription.match(/#([a-z0-9-]+)$/)[1]));
    expect(families.size).toBeGreaterThan(10);
    for (const family of families) expect(runbook).toContain(`<a id="${family}"></a>`);
  });

  it('names every saved query', () => {
    for (const query of Object.values(resourcesOf(template, 'AWS::Logs::QueryDefinition'))) {
      expect(runbook).toContain(`\`${String(query.Properties!.Name).split('/')[1]}\``);
    }
  });
});

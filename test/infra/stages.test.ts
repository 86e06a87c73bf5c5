import { App } from 'aws-cdk-lib';
import { STAGE_NAMES, stageConfigs, stageFromContext } from '../../lib/stages';
import { functionLogicalId, resourcesOf, synthStage, tableLogicalId } from './template';

// One synth per stage, shared by every assertion below.
const synthesized = Object.fromEntries(STAGE_NAMES.map((stage) => [stage, synthStage(stage)]));
const configs = stageConfigs();

const resourcesIn = (stage: string) => synthesized[stage].template.toJSON().Resources;
const envOf = (stage: string, operation = 'GetVariable') =>
  resourcesIn(stage)[functionLogicalId(synthesized[stage].template, operation)].Properties.Environment.Variables;

describe.each(STAGE_NAMES)('stage %s', (stage) => {
  const { template } = synthesized[stage];
  const config = configs[stage];

  it('passes its rate limit and data retention to every function', () => {
    // The API functions (the background purge serves no client: no rate limit, its own small concurrency).
    const apiFunctions = Object.entries(resourcesOf(template, 'AWS::Lambda::Function'))
      .filter(([id, f]) => f.Properties?.Environment?.Variables?.VARIABLES_TABLE && !id.startsWith('ExecutionPurge'))
      .map(([, f]) => f);
    for (const fn of apiFunctions) {
      expect(fn.Properties!.Environment.Variables.RATE_LIMIT_PER_MINUTE).toBe(String(config.rateLimitPerMinute));
      expect(fn.Properties!.Environment.Variables.RETENTION_DAYS).toBe(String(config.dataRetentionDays));
      expect(fn.Properties!.ReservedConcurrentExecutions).toBe(config.reservedConcurrency);
    }
    // Plus the step editor's CloudFront origin where the stage names its origins (editor-hosting.test.ts).
    const cors = envOf(stage).CORS_ORIGINS;
    if (config.corsOrigins.includes('*')) expect(cors).toBe(config.corsOrigins.join(','));
    else expect(cors['Fn::Join'][1][0]).toBe(`${config.corsOrigins.join(',')},https://`);
  });

  it('throttles the API and keeps logs as the stage says', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: config.apiThrottle.rateLimit, ThrottlingBurstLimit: config.apiThrottle.burstLimit },
    });
    for (const logGroup of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup')))
      expect(logGroup.Properties!.RetentionInDays).toBe(config.logRetention);
  });

  it('subscribes the stage recipients to the topic of their severity', () => {
    const subscriptions = Object.values(resourcesOf(template, 'AWS::SNS::Subscription')).map((s) => s.Properties!);
    const expected = [...config.alarmRecipients.warning.emails, ...config.alarmRecipients.critical.emails];
    expect(subscriptions.map((s) => s.Endpoint).sort()).toEqual(expected.sort());
    for (const s of subscriptions) expect(s.Protocol).toBe('email');
  });

  it('is environment-agnostic without CDK_DEFAULT_ACCOUNT/REGION, so synth stays offline', () => {
    expect(synthesized[stage].stack.resolve(synthesized[stage].stack.account)).toEqual({ Ref: 'AWS::AccountId' });
  });
});

describe('differences that matter between stages', () => {
  it('prod retains users data with deletion protection; dev throws it away with the stack', () => {
    for (const name of ['Variables', 'References'] as const) {
      const prod = resourcesIn('prod')[tableLogicalId(synthesized.prod.template, name)];
      const dev = resourcesIn('dev')[tableLogicalId(synthesized.dev.template, name)];
      const staging = resourcesIn('staging')[tableLogicalId(synthesized.staging.template, name)];
      expect([prod.DeletionPolicy, prod.Properties.DeletionProtectionEnabled]).toEqual(['Retain', true]);
      expect([staging.DeletionPolicy, staging.Properties.DeletionProtectionEnabled ?? false]).toEqual(['Retain', false]);
      expect([dev.DeletionPolicy, dev.Properties.DeletionProtectionEnabled ?? false]).toEqual(['Delete', false]);
    }
    const pool = (stage: string) =>
      Object.values(resourcesOf(synthesized[stage].template, 'AWS::Cognito::UserPool'))[0] as Record<string, any>;
    expect([pool('prod').DeletionPolicy, pool('prod').Properties.DeletionProtection]).toEqual(['Retain', 'ACTIVE']);
    expect(pool('dev').DeletionPolicy).toBe('Delete');
  });

  it('prod has a named CORS origin, the highest limits and the longest retention; dev allows any origin', () => {
    expect(envOf('dev').CORS_ORIGINS).toBe('*');
    expect(JSON.stringify(envOf('prod').CORS_ORIGINS)).not.toContain('*');
    expect(configs.prod.rateLimitPerMinute).toBeGreaterThan(configs.staging.rateLimitPerMinute);
    expect(configs.prod.apiThrottle.rateLimit).toBeGreaterThan(configs.dev.apiThrottle.rateLimit);
    expect(configs.prod.dataRetentionDays).toBeGreaterThan(configs.dev.dataRetentionDays);
  });

  it('gives staging exactly the resources of prod (only values differ), so checks of prod cover it', () => {
    // Subscriptions are named after their address; every other logical id is the same.
    const shape = (stage: string) =>
      Object.entries(resourcesIn(stage))
        .map(([id, resource]: [string, any]) => (resource.Type === 'AWS::SNS::Subscription' ? resource.Type : `${id} ${resource.Type}`))
        .sort();
    expect(shape('staging')).toEqual(shape('prod'));
  });

  it('pages a different recipient for critical than for warning in prod', () => {
    expect(configs.prod.alarmRecipients.critical.emails).not.toEqual(configs.prod.alarmRecipients.warning.emails);
    expect(configs.prod.alarmRecipients.critical.emails.length).toBeGreaterThan(0);
  });
});

describe('choosing a stage', () => {
  const app = (context: Record<string, unknown>) => new App({ context });

  it('defaults to dev, refuses an unknown name', () => {
    expect(stageFromContext(app({})).name).toBe('dev');
    expect(() => stageFromContext(app({ stage: 'qa' }))).toThrow(/Unknown stage 'qa'/);
  });

  it('takes account and region from CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION when present', () => {
    const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
    process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
    process.env.CDK_DEFAULT_REGION = 'eu-west-1';
    try {
      expect(stageFromContext(app({ stage: 'prod' })).env).toEqual({ account: '123456789012', region: 'eu-west-1' });
    } finally {
      for (const [key, value] of [
        ['CDK_DEFAULT_ACCOUNT', saved.account],
        ['CDK_DEFAULT_REGION', saved.region],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('lets context override recipients and an existing pager topic, which the critical composite then notifies', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:pager';
    const { template } = synthStage('staging', { criticalEmails: 'a@example.com,b@example.com', criticalTopicArns: arn });
    const critical = Object.values(resourcesOf(template, 'AWS::CloudWatch::CompositeAlarm')).find(
      (c) => c.Properties!.AlarmName === 'VariableService-critical',
    )!;
    expect(critical.Properties!.AlarmActions).toContain(arn);
    const endpoints = Object.values(resourcesOf(template, 'AWS::SNS::Subscription')).map((s) => s.Properties!.Endpoint);
    expect(endpoints).toEqual(expect.arrayContaining(['a@example.com', 'b@example.com']));
  });

  it('needs audiences with an external issuer', () => {
    expect(() => stageFromContext(app({ jwtIssuer: 'https://login.example.com/' }))).toThrow(/jwtAudiences/);
  });
});

import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * One typed configuration per deployed stage (API.md §9: "a stage is deployed from CI by `cdk
 * deploy` with that stage's settings"). Everything that differs between dev, staging and prod lives
 * here and nowhere else; the constructs read a `StageConfig` and never test the stage's name.
 *
 * Chosen with `-c stage=<name>` (default `dev`). Account and region come from the environment
 * (`CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION`, which the CDK CLI fills from the credentials it
 * runs with), so `cdk synth` of any stage works offline: without them the stack is
 * environment-agnostic.
 */
export type StageName = 'dev' | 'staging' | 'prod';

export interface AlarmRecipients {
  /** Subscribed to the severity's topic (each address confirms the subscription once). */
  emails: string[];
  /** Existing SNS topics (a pager, a chat channel) the severity's composite alarm also notifies. */
  topicArns: string[];
}

/**
 * Who may call the API (API.md §9). Both clients present an OAuth 2 access token (JWT) as
 * `Authorization: Bearer …`, checked by the HTTP API's JWT authorizer:
 *
 * - `cognito`: the stack owns a user pool with two app clients of one resource server — a
 *   confidential client for the test runner (client-credentials grant) and a public client for the
 *   step editor (authorization code + PKCE, no secret in the browser).
 * - `oidc`: an existing OpenID Connect provider (Okta, Auth0, Entra ID, …); the stage names its
 *   issuer and the audiences its tokens carry for this API.
 */
export type StageAuth =
  | { kind: 'cognito' /** OAuth callback/logout URLs of the step editor (its origins plus a path). */; editorCallbackUrls: string[] }
  | { kind: 'oidc'; issuer: string; audiences: string[] };

export interface StageConfig {
  name: StageName;
  /** `undefined` parts keep synth offline (an environment-agnostic template). */
  env: { account?: string; region?: string };
  /** Browser origins CORS allows (the step editor's). */
  corsOrigins: string[];
  /** Requests per client per minute, enforced by the functions (API.md §8, Rate). */
  rateLimitPerMinute: number;
  /** Days before an execution's items expire (DynamoDB TTL, RETENTION_DAYS). */
  dataRetentionDays: number;
  /** Function, access and flow logs. */
  logRetention: RetentionDays;
  /** Per function; `undefined` leaves the account's unreserved pool (sum must leave 100 unreserved). */
  reservedConcurrency: number | undefined;
  /** The HTTP API stage's own throttling; above it API Gateway answers 429 before any Lambda runs. */
  apiThrottle: { rateLimit: number; burstLimit: number };
  alarmRecipients: { warning: AlarmRecipients; critical: AlarmRecipients };
  /** Variables and references tables, and log groups. The idempotency table is always destroyed with the stack. */
  dataRemovalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection on the variables and references tables. */
  deletionProtection: boolean;
  /** A request count below which rate alarms stay quiet ("no alarm on 1 failure of 1 request"). */
  alarmMinimumRequests: number;
  auth: StageAuth;
  /**
   * The Powertools Tracer inside the functions: X-Ray subsegments per DynamoDB call and Redis get.
   * Lambda's active tracing (a segment per invocation, with init and duration) is on either way. Off
   * by default: the X-Ray SDK's async hooks cost +50–90 % CPU on every request (docs/operations.md
   * "Tracing"); turn it on for a stage while investigating, or for one deploy with `-c inProcessTracing=true`.
   */
  inProcessTracing: boolean;
}

const NOBODY: AlarmRecipients = { emails: [], topicArns: [] };

function environment(): StageConfig['env'] {
  return { account: process.env.CDK_DEFAULT_ACCOUNT || undefined, region: process.env.CDK_DEFAULT_REGION || undefined };
}

/**
 * The stages. Recipients and origins are the team's; edit them here (a pull request shows the
 * change in `cdk diff`), or override at synth time with context (see `stageFromContext`).
 */
export function stageConfigs(): Record<StageName, StageConfig> {
  const env = environment();
  return {
    dev: {
      name: 'dev',
      env,
      corsOrigins: ['*'],
      rateLimitPerMinute: 600,
      dataRetentionDays: 7,
      logRetention: RetentionDays.ONE_WEEK,
      reservedConcurrency: undefined,
      apiThrottle: { rateLimit: 50, burstLimit: 100 },
      alarmRecipients: { warning: NOBODY, critical: NOBODY },
      dataRemovalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      alarmMinimumRequests: 10,
      auth: { kind: 'cognito', editorCallbackUrls: ['http://localhost:5173/callback'] },
      inProcessTracing: false,
    },
    staging: {
      name: 'staging',
      env,
      corsOrigins: ['https://editor.staging.example.com'],
      rateLimitPerMinute: 1200,
      dataRetentionDays: 30,
      logRetention: RetentionDays.ONE_MONTH,
      reservedConcurrency: 5,
      apiThrottle: { rateLimit: 200, burstLimit: 400 },
      alarmRecipients: {
        warning: { emails: ['variable-service-staging@example.com'], topicArns: [] },
        critical: { emails: ['variable-service-staging@example.com'], topicArns: [] },
      },
      dataRemovalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: false,
      alarmMinimumRequests: 20,
      auth: { kind: 'cognito', editorCallbackUrls: ['https://editor.staging.example.com/callback'] },
      inProcessTracing: false,
    },
    prod: {
      name: 'prod',
      env,
      corsOrigins: ['https://editor.example.com'],
      rateLimitPerMinute: 3000,
      dataRetentionDays: 90,
      logRetention: RetentionDays.THREE_MONTHS,
      reservedConcurrency: 50,
      apiThrottle: { rateLimit: 1000, burstLimit: 2000 },
      alarmRecipients: {
        warning: { emails: ['variable-service-team@example.com'], topicArns: [] },
        critical: { emails: ['variable-service-oncall@example.com'], topicArns: [] },
      },
      dataRemovalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      alarmMinimumRequests: 50,
      auth: { kind: 'cognito', editorCallbackUrls: ['https://editor.example.com/callback'] },
      inProcessTracing: false,
    },
  };
}

export const STAGE_NAMES: readonly StageName[] = ['dev', 'staging', 'prod'];

function isStageName(value: string): value is StageName {
  return (STAGE_NAMES as readonly string[]).includes(value);
}

function listFromContext(scope: Construct, key: string): string[] | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((item) => item.trim()).filter(Boolean);
}

function booleanFromContext(scope: Construct, key: string): boolean | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`-c ${key} must be true or false, not '${String(value)}'`);
}

/**
 * The stage `-c stage=<name>` names (default `dev`), with optional context overrides a deployer may
 * need without a code change: `corsOrigins`, `warningEmails`, `criticalEmails`, `warningTopicArns`,
 * `criticalTopicArns` (comma lists), and `jwtIssuer` + `jwtAudiences` to use an existing OIDC
 * provider instead of the stage's Cognito user pool, and `inProcessTracing=true|false` for one deploy
 * with (or without) the in-process tracer. An unknown stage name fails synth.
 */
export function stageFromContext(scope: Construct): StageConfig {
  const name = String(scope.node.tryGetContext('stage') ?? 'dev');
  if (!isStageName(name)) throw new Error(`Unknown stage '${name}': use one of ${STAGE_NAMES.join(', ')} (-c stage=<name>)`);
  const base = stageConfigs()[name];
  const recipients = (severity: 'warning' | 'critical'): AlarmRecipients => ({
    emails: listFromContext(scope, `${severity}Emails`) ?? base.alarmRecipients[severity].emails,
    topicArns: listFromContext(scope, `${severity}TopicArns`) ?? base.alarmRecipients[severity].topicArns,
  });
  const issuer = scope.node.tryGetContext('jwtIssuer') as string | undefined;
  const audiences = listFromContext(scope, 'jwtAudiences');
  if (issuer && !audiences?.length) throw new Error('jwtIssuer needs jwtAudiences (the audiences its tokens carry for this API)');
  return {
    ...base,
    corsOrigins: listFromContext(scope, 'corsOrigins') ?? base.corsOrigins,
    alarmRecipients: { warning: recipients('warning'), critical: recipients('critical') },
    auth: issuer ? { kind: 'oidc', issuer, audiences: audiences! } : base.auth,
    inProcessTracing: booleanFromContext(scope, 'inProcessTracing') ?? base.inProcessTracing,
  };
}

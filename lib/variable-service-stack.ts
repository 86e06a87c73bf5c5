import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiFunctions } from './constructs/api-functions';
import { ApiIdentity } from './constructs/api-identity';
import { CacheNetwork } from './constructs/cache-network';
import { DataTables } from './constructs/data-tables';
import { EditorHosting, withEditorOrigin } from './constructs/editor-hosting';
import { ExecutionPurge } from './constructs/execution-purge';
import { VariableHttpApi } from './constructs/http-api';
import { LogSignals } from './constructs/log-signals';
import { SavedQueries } from './constructs/saved-queries';
import { ServiceAlarms } from './constructs/service-alarms';
import { ServiceDashboard } from './constructs/service-dashboard';
import { type StageConfig, stageFromContext } from './stages';

/** The repository root: handler entries and the lock file are resolved from it, wherever synth runs. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

export interface VariableServiceStackProps extends StackProps {
  /** The stage's settings. Default: the stage `-c stage=<name>` names (lib/stages.ts), else `dev`. */
  stage?: StageConfig;
}

/**
 * The variable data-flow service: tables, the private network and cache, one function per route of
 * functions/routes.ts behind an HTTP API with a JWT authorizer, and the alarms, dashboard and saved
 * queries that watch them. Everything that differs between stages comes from `StageConfig`.
 */
export class VariableServiceStack extends Stack {
  readonly stage: StageConfig;
  readonly tables: DataTables;
  readonly network: CacheNetwork;
  readonly functions: ApiFunctions;
  readonly identity: ApiIdentity;
  readonly api: VariableHttpApi;
  readonly alarms: ServiceAlarms;
  readonly editor: EditorHosting;

  constructor(scope: Construct, id: string, props: VariableServiceStackProps = {}) {
    const stage = props.stage ?? stageFromContext(scope);
    super(scope, id, { env: stage.env, ...props });
    this.stage = stage;
    const logs = { logRetention: stage.logRetention, logRemovalPolicy: stage.dataRemovalPolicy };

    this.tables = new DataTables(this, 'Data', { removalPolicy: stage.dataRemovalPolicy, deletionProtection: stage.deletionProtection });
    this.network = new CacheNetwork(this, 'Network', logs);
    // The step editor's bucket + CloudFront first: its origin joins the stage's CORS origins.
    this.editor = new EditorHosting(this, 'Editor', { stage, projectRoot: PROJECT_ROOT });
    const corsOrigins = withEditorOrigin(stage.corsOrigins, this.editor.origin);
    this.functions = new ApiFunctions(this, 'Functions', {
      tables: this.tables,
      network: this.network,
      stage: { ...stage, corsOrigins },
      serviceVersion: packageVersion(),
      projectRoot: PROJECT_ROOT,
    });
    this.identity = new ApiIdentity(this, 'Identity', { stage });
    this.api = new VariableHttpApi(this, 'Api', {
      functions: this.functions,
      corsOrigins,
      authorizer: this.identity.authorizer,
      throttle: stage.apiThrottle,
      ...logs,
    });
    const purge = new ExecutionPurge(this, 'ExecutionPurge', {
      tables: this.tables,
      functions: this.functions,
      network: this.network,
      stage,
      projectRoot: PROJECT_ROOT,
    });

    const functionLogs = [...this.functions.logGroups.values()];
    new LogSignals(this, 'LogSignals', { logGroups: functionLogs });
    new SavedQueries(this, 'Queries', { functionLogs, accessLogs: this.api.accessLogs, prefix: this.stackName });

    const watched = { functions: this.functions, api: this.api, tables: this.tables, network: this.network, purge };
    this.alarms = new ServiceAlarms(this, 'Alarms', {
      ...watched,
      minimumRequests: stage.alarmMinimumRequests,
      recipients: stage.alarmRecipients,
    });
    const { paging, categoryComposites } = this.alarms;
    const dashboard = new ServiceDashboard(this, 'Dashboard', {
      ...watched,
      alarms: [paging.critical, paging.warning, ...categoryComposites],
    });

    new CfnOutput(this, 'Stage', { value: stage.name });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'EditorUrl', {
      value: this.editor.urlFor(this.api.url),
      description: "The step editor (CloudFront), pointed at this stage's API with ?api=",
    });
    new CfnOutput(this, 'EditorOrigin', {
      value: this.editor.origin,
      description: "The step editor's origin, added to the API's CORS origins",
    });
    new CfnOutput(this, 'WarningTopicArn', {
      value: this.alarms.topics.warning.topicArn,
      description: 'Warning alarms (composite) notify here',
    });
    new CfnOutput(this, 'CriticalTopicArn', {
      value: this.alarms.topics.critical.topicArn,
      description: 'Critical alarms (composite) page here',
    });
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboard.dashboardName });
    const { identity } = this;
    if (identity.userPool && identity.runnerClient && identity.editorClient) {
      new CfnOutput(this, 'UserPoolId', { value: identity.userPool.userPoolId });
      new CfnOutput(this, 'TokenUrl', {
        value: identity.tokenUrl!,
        description: 'OAuth 2 token endpoint (test runner: client credentials)',
      });
      new CfnOutput(this, 'AuthorizeUrl', {
        value: identity.authorizeUrl!,
        description: 'OAuth 2 authorization endpoint (step editor: code + PKCE)',
      });
      new CfnOutput(this, 'TestRunnerClientId', { value: identity.runnerClient.userPoolClientId });
      new CfnOutput(this, 'StepEditorClientId', { value: identity.editorClient.userPoolClientId });
    }
  }
}

function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

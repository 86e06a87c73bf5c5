import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiFunctions } from './constructs/api-functions';
import { CacheNetwork } from './constructs/cache-network';
import { DataTables } from './constructs/data-tables';
import { ExecutionPurge } from './constructs/execution-purge';
import { VariableHttpApi } from './constructs/http-api';
import { ServiceAlarms } from './constructs/service-alarms';
import { ServiceDashboard } from './constructs/service-dashboard';

/** The repository root: handler entries and the lock file are resolved from it, wherever synth runs. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

export interface VariableServiceStackProps extends StackProps {
  /** Browser origins allowed by CORS. Default: the `corsOrigins` context value, else `['*']`. */
  corsOrigins?: string[];
}

/**
 * The variable data-flow service: tables, the private network and cache, one function per route of
 * functions/routes.ts behind an HTTP API, and the alarms and dashboard that watch them.
 */
export class VariableServiceStack extends Stack {
  readonly tables: DataTables;
  readonly network: CacheNetwork;
  readonly functions: ApiFunctions;
  readonly api: VariableHttpApi;
  readonly alarms: ServiceAlarms;

  constructor(scope: Construct, id: string, props: VariableServiceStackProps = {}) {
    super(scope, id, props);
    const corsOrigins = props.corsOrigins ?? corsOriginsFromContext(this);

    this.tables = new DataTables(this, 'Data');
    this.network = new CacheNetwork(this, 'Network');
    this.functions = new ApiFunctions(this, 'Functions', {
      tables: this.tables,
      network: this.network,
      corsOrigins,
      serviceVersion: packageVersion(),
      projectRoot: PROJECT_ROOT,
    });
    this.api = new VariableHttpApi(this, 'Api', { functions: this.functions, corsOrigins });
    new ExecutionPurge(this, 'ExecutionPurge', { tables: this.tables, functions: this.functions, network: this.network, projectRoot: PROJECT_ROOT });

    const watched = { functions: this.functions, api: this.api, tables: this.tables, network: this.network };
    this.alarms = new ServiceAlarms(this, 'Alarms', watched);
    new ServiceDashboard(this, 'Dashboard', { ...watched, alarms: this.alarms.alarms });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Subscribe on-call here' });
  }
}

/** `cdk.json` may hold a list; `-c corsOrigins=a,b` on the command line arrives as a string. */
function corsOriginsFromContext(scope: Construct): string[] {
  const value: unknown = scope.node.tryGetContext('corsOrigins');
  const origins = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : ['*'];
  const cleaned = origins.map((origin) => origin.trim()).filter(Boolean);
  return cleaned.length > 0 ? cleaned : ['*'];
}

function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * CDK app entry (cdk.json: `npx tsx bin/app.ts`). The stack names no account or region, so
 * `cdk synth` runs offline without credentials; `cdk deploy` takes them from the CLI profile.
 */
import { App } from 'aws-cdk-lib';
import { VariableServiceStack } from '../lib/variable-service-stack';

const app = new App();
new VariableServiceStack(app, 'VariableService', {
  description: 'Variable data-flow service: HTTP API, Lambda, DynamoDB, ElastiCache Serverless (Valkey)',
});
app.synth();

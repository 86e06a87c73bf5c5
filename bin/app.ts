/**
 * CDK app entry (cdk.json: `npx tsx bin/app.ts`).
 *
 *   npx cdk synth -c stage=prod                    # any stage, offline (no account/region set)
 *   npx cdk deploy VariableService-staging -c stage=staging
 *   npx cdk deploy VariableServiceCi -c githubRepository=owner/name   # once: the OIDC deploy roles
 *
 * The stage's account and region come from CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION (the CLI sets
 * them from its credentials), so synth without credentials gives an environment-agnostic template.
 * cdk-nag's AwsSolutions and Serverless packs run on every synth: a new finding fails it.
 */
import { App } from 'aws-cdk-lib';
import { CiBootstrapStack } from '../lib/ci-bootstrap-stack';
import { applyNagPacks } from '../lib/nag';
import { stageFromContext } from '../lib/stages';
import { VariableServiceStack } from '../lib/variable-service-stack';

const app = new App();
const stage = stageFromContext(app);
new VariableServiceStack(app, `VariableService-${stage.name}`, {
  stage,
  description: `Variable data-flow service (${stage.name}): HTTP API, Lambda, DynamoDB, ElastiCache Serverless (Valkey)`,
});
const githubRepository = app.node.tryGetContext('githubRepository') as string | undefined;
if (githubRepository) new CiBootstrapStack(app, 'VariableServiceCi', { githubRepository, env: stage.env });
applyNagPacks(app);
app.synth();

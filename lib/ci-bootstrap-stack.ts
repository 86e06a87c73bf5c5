import { Aws, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from './nag';

/** GitHub's OIDC issuer; its tokens' audience for AWS is `sts.amazonaws.com`. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The CDK bootstrap qualifier (`cdk bootstrap` default); change both if the account uses another. */
export const CDK_QUALIFIER = 'hnb659fds';

export interface CiBootstrapStackProps extends StackProps {
  /** `owner/name` of the repository whose workflows may assume the roles. */
  githubRepository: string;
  /** Branch whose pushes deploy (default `main`). */
  deployBranch?: string;
  /** GitHub environments the deploy jobs run in (default `staging`, `prod`). */
  environments?: string[];
  /** An account that already has GitHub's OIDC provider passes its ARN instead of creating one. */
  existingProviderArn?: string;
}

/**
 * Deployed once per account (README, Deploy): what lets GitHub Actions reach AWS without a stored
 * key. Two roles, both trusted only through GitHub's OIDC provider, only for this repository:
 *
 * - `…-diff` for pull requests (`sub` = `repo:<repo>:pull_request`): may assume only CDK's
 *   bootstrap lookup role, which reads (templates, context) and cannot change anything;
 * - `…-deploy` for the deploy branch and its GitHub environments (`repo:<repo>:ref:refs/heads/main`,
 *   `repo:<repo>:environment:staging|prod`): may assume CDK's bootstrap deploy, file-publishing and
 *   lookup roles — `cdk deploy` does the rest with CDK's own least-privilege execution role.
 *
 * The prod environment's required reviewers (a GitHub setting) are what stand between a merge and a
 * prod deploy; the branch scoping here makes sure no other branch or fork can even try.
 */
export class CiBootstrapStack extends Stack {
  readonly diffRole: iam.Role;
  readonly deployRole: iam.Role;

  constructor(scope: Construct, id: string, props: CiBootstrapStackProps) {
    super(scope, id, props);
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(props.githubRepository)) {
      throw new Error(`githubRepository must be owner/name, got '${props.githubRepository}'`);
    }
    const repo = props.githubRepository;
    const branch = props.deployBranch ?? 'main';
    const environments = props.environments ?? ['staging', 'prod'];

    const providerArn =
      props.existingProviderArn ??
      new iam.OidcProviderNative(this, 'GitHubOidc', { url: `https://${GITHUB_OIDC_HOST}`, clientIds: ['sts.amazonaws.com'] })
        .oidcProviderArn;

    const trust = (subjects: string[]) =>
      new iam.WebIdentityPrincipal(providerArn, {
        // StringEquals, not StringLike: exactly these subjects (any of the list), no wildcard a fork could match.
        StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com', [`${GITHUB_OIDC_HOST}:sub`]: subjects },
      });
    const cdkRole = (kind: string) =>
      `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-${CDK_QUALIFIER}-${kind}-role-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

    this.diffRole = new iam.Role(this, 'DiffRole', {
      roleName: `${id}-diff`,
      description: `Pull requests of ${repo}: cdk diff (read-only lookup role)`,
      assumedBy: trust([`repo:${repo}:pull_request`]),
      maxSessionDuration: Duration.hours(1),
    });
    this.diffRole.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [cdkRole('lookup')] }));

    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: `${id}-deploy`,
      description: `${repo}: ${branch} and environments ${environments.join(', ')}: cdk deploy`,
      assumedBy: trust([
        `repo:${repo}:ref:refs/heads/${branch}`,
        ...environments.map((environment) => `repo:${repo}:environment:${environment}`),
      ]),
      maxSessionDuration: Duration.hours(1),
    });
    this.deployRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: ['deploy', 'file-publishing', 'lookup'].map(cdkRole) }),
    );
    // The smoke test gets a token with the test runner's client credentials, read from Cognito at
    // run time (never stored in GitHub). Pools are created by the stage stacks, after this one.
    this.deployRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:DescribeUserPoolClient', 'cloudformation:DescribeStacks'],
        resources: [
          `arn:${Aws.PARTITION}:cognito-idp:${Aws.REGION}:${Aws.ACCOUNT_ID}:userpool/*`,
          `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stack/VariableService-*/*`,
        ],
      }),
    );
    acknowledge(
      this.deployRole,
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*]`,
      'The stage stacks create their user pools after this stack exists, so no pool id is known here; ' +
        'the action only reads an app client (the smoke test token)',
    );
    acknowledge(
      this.deployRole,
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/VariableService-*/*]`,
      'Reads the outputs (URL, client id) of the stage stacks, whose stack ids CloudFormation assigns at creation; read-only',
    );

    new CfnOutput(this, 'DiffRoleArn', { value: this.diffRole.roleArn, description: 'GitHub variable AWS_DIFF_ROLE_ARN' });
    new CfnOutput(this, 'DeployRoleArn', { value: this.deployRole.roleArn, description: 'GitHub variable AWS_DEPLOY_ROLE_ARN' });
  }
}

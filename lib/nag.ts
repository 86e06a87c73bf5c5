import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag: the AwsSolutions and Serverless rule packs run on every synth (bin/app.ts, so `cdk synth`
 * in CI fails on a new finding) and in the infra tests. A finding is either fixed or acknowledged
 * here, on the construct it concerns, with the rule's id and the reason it does not apply — never
 * a blanket acknowledgment on the stack.
 */
export function applyNagPacks(scope: IConstruct): void {
  Validations.of(scope).addPlugins(new AwsSolutionsChecks(scope), new ServerlessChecks(scope));
}

type Pack = 'AwsSolutions' | 'Serverless';

/** `rule` is the finding id as cdk-nag prints it, e.g. `AwsSolutions-IAM5[Resource::*]`. */
export function acknowledge(scope: IConstruct, pack: Pack, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${pack}::${rule}`, reason });
}

/** API.md §5: health and the OpenAPI document are open by contract (§7: no bearer token). */
export function acknowledgeOpenRoute(route: IConstruct, routeKey: string): void {
  acknowledge(
    route,
    'AwsSolutions',
    'AwsSolutions-APIG4',
    `${routeKey} is open by contract (API.md §5 and §7: health and the OpenAPI document need no token)`,
  );
}

/**
 * The findings every API function has by construction:
 * - IAM4: AWSLambdaBasicExecutionRole (its own log group) and AWSLambdaVPCAccessExecutionRole
 *   (ENIs in the VPC) are the AWS-maintained minimum for a function in a VPC; table access is
 *   granted per route with resource-scoped statements (test/infra/iam.test.ts).
 * - IAM5 `Resource::*`: X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level
 *   permissions, so active tracing can only be granted on `*`.
 * - L1 / LambdaLatestVersion: the runtime is pinned to nodejs22.x on purpose — the bundle is built
 *   with `target: node22` and the toolchain is tested on it (DESIGN.md); moving to a newer runtime
 *   is a deliberate change with its own test run, not something synth should do.
 * - LambdaDLQ: the functions are invoked synchronously by API Gateway; a failed request is answered
 *   to its client (and counted, and alarmed), there is no event to park in a dead-letter queue.
 */
export function acknowledgeApiFunction(fn: IConstruct, role: IConstruct | undefined): void {
  acknowledgeServiceFunction(fn, role, 'table access is granted per route on table ARNs');
  acknowledge(
    fn,
    'Serverless',
    'Serverless-LambdaDLQ',
    'Invoked synchronously by API Gateway: a failure is answered to the client and alarmed; there is no event to dead-letter',
  );
}

/**
 * What every function of the service (serviceFunctionProps) answers to cdk-nag alike: the two
 * AWS-managed policies, X-Ray's wildcard and the pinned runtime. `grants` says how its data access
 * is granted instead.
 */
export function acknowledgeServiceFunction(fn: IConstruct, role: IConstruct | undefined, grants: string): void {
  if (role) {
    for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) {
      acknowledge(
        role,
        'AwsSolutions',
        `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
        `${policy} is the AWS-maintained minimum for a function's ` +
          `logs${policy.includes('VPC') ? ' and its network interfaces in the VPC' : ''}; ${grants}`,
      );
    }
    acknowledge(
      role,
      'AwsSolutions',
      'AwsSolutions-IAM5[Resource::*]',
      'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
    );
  }
  const pinned =
    'Pinned to nodejs22.x: the bundle targets node22 and the toolchain is tested on it; a runtime upgrade is a deliberate, tested change';
  acknowledge(fn, 'AwsSolutions', 'AwsSolutions-L1', pinned);
  acknowledge(fn, 'Serverless', 'Serverless-LambdaLatestVersion', pinned);
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { functionBundling } from '../../lib/constructs/function-bundling';
import { Match } from 'aws-cdk-lib/assertions';
import { PROJECT_ROOT } from '../../lib/variable-service-stack';
import {
  actionsOf,
  functionLogicalId,
  logicalIdOf,
  resourcesOf,
  statementsOfFunction,
  synthStack,
  tableLogicalId,
  tablesNamedBy,
  type Statement,
} from './template';

const { template } = synthStack();
const resources = template.toJSON().Resources;
const purgeFunctionId = logicalIdOf(template, 'AWS::Lambda::Function', /^ExecutionPurgeFunction[0-9A-F]{8}$/);
const queueId = logicalIdOf(template, 'AWS::SQS::Queue', /^ExecutionPurgeQueue[0-9A-F]{8}$/);
const deadLettersId = logicalIdOf(template, 'AWS::SQS::Queue', /^ExecutionPurgeDeadLetters[0-9A-F]{8}$/);

function statementsOfPurgeFunction(): Statement[] {
  const roleId: string = resources[purgeFunctionId].Properties.Role['Fn::GetAtt'][0];
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties!.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as Statement[]);
}

const namesQueue = (statement: Statement): boolean => JSON.stringify(statement.Resource).includes(queueId);

describe('execution purge (large DELETEs finish in the background)', () => {
  it('has a queue with a dead-letter queue, encrypted and TLS-only', () => {
    const queue = resources[queueId].Properties;
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [deadLettersId, 'Arn'] }, maxReceiveCount: 5 });
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * resources[purgeFunctionId].Properties.Timeout);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: Match.arrayWith([{ Ref: queueId }]),
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('feeds the purge function one message at a time, with partial batch failures, at bounded concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: purgeFunctionId },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const fn = resources[purgeFunctionId].Properties;
    expect(fn.ReservedConcurrentExecutions).toBe(2);
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Timeout).toBe(60);
    expect(fn.Environment.Variables).toEqual(
      expect.objectContaining({
        VARIABLES_TABLE: { Ref: tableLogicalId(template, 'Variables') },
        REFERENCES_TABLE: { Ref: tableLogicalId(template, 'References') },
        PURGE_QUEUE_URL: { Ref: queueId },
      }),
    );
  });

  it('lets the purge function write both data tables (not idempotency) and put the rest of a purge back on its queue', () => {
    const statements = statementsOfPurgeFunction();
    const dynamo = statements.filter((statement) => actionsOf(statement).includes('dynamodb:BatchWriteItem'));
    expect([...new Set(dynamo.flatMap(tablesNamedBy))].sort()).toEqual(
      [tableLogicalId(template, 'References'), tableLogicalId(template, 'Variables')].sort(),
    );
    expect(statements.some((statement) => namesQueue(statement) && actionsOf(statement).includes('sqs:SendMessage'))).toBe(true);
  });

  it('tells DeleteExecution where the queue is and lets it send there', () => {
    const deleteId = functionLogicalId(template, 'DeleteExecution');
    expect(resources[deleteId].Properties.Environment.Variables.PURGE_QUEUE_URL).toEqual({ Ref: queueId });
    expect(
      statementsOfFunction(template, 'DeleteExecution').some(
        (statement) => namesQueue(statement) && actionsOf(statement).includes('sqs:SendMessage'),
      ),
    ).toBe(true);
    expect(statementsOfFunction(template, 'GetVariable').some(namesQueue)).toBe(false);
  });

  it('reaches SQS from the isolated subnets through an interface endpoint', () => {
    const interfaces = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint')).filter(
      (endpoint) => endpoint.Properties!.VpcEndpointType === 'Interface',
    );
    expect(interfaces).toHaveLength(1);
    expect(JSON.stringify(interfaces[0].Properties!.ServiceName)).toMatch(/\.sqs/);
    expect(interfaces[0].Properties!.PrivateDnsEnabled).toBe(true);
  });

  it("is built by the stack's own build (scripts/bundle-functions.ts, as cdk synth runs it) into index.mjs", () => {
    // The tests synthesize without bundling (template.ts): the asset's local build is run here on its own.
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'purge-asset-'));
    try {
      const bundling = functionBundling(PROJECT_ROOT, 'executions/purge-execution', false);
      expect(bundling.local!.tryBundle(outputDir, bundling)).toBe(true);
      expect(fs.readdirSync(outputDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      expect(fs.readFileSync(path.join(outputDir, 'index.mjs'), 'utf8')).toMatch(/batchItemFailures/);
    } finally {
      fs.rmSync(outputDir, { recursive: true, force: true });
    }
  });
});

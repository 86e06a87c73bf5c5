import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeServiceFunction } from '../nag';
import { serviceEnvironment, serviceFunctionProps } from './service-function';
import { PURGE_FUNCTION } from './function-bundling';
import type { StageConfig } from '../stages';
import type { ApiFunctions } from './api-functions';
import type { CacheNetwork } from './cache-network';
import type { DataTables } from './data-tables';

export interface ExecutionPurgeProps {
  tables: DataTables;
  functions: ApiFunctions;
  network: CacheNetwork;
  stage: StageConfig;
  /** Repository root: the handler entry, package-lock.json and tsconfig.json are resolved from here. */
  projectRoot: string;
}

/** One purge slice's time limit; the function's timeout leaves room to put the continuation back on the queue. */
export const PURGE_FUNCTION_TIMEOUT = Duration.seconds(60);
/** Purges running at once across the stage: each keeps two BatchWrites in flight, so the tables' other traffic keeps its capacity. */
export const PURGE_CONCURRENCY = 2;

/**
 * How an execution DELETE that did not finish within its request finishes in AWS (API.md §5):
 * DeleteExecution retires the data (instantly empty for every reader), purges what it can within
 * its budget and puts the rest on the purge queue; the purge function takes one message at a
 * time, deletes the retired partitions in bounded slices for up to ~45 s, and puts a message back
 * for whatever is left. Failed messages are retried and end in a dead-letter queue after 5 tries.
 * The queue is reached from the isolated subnets through an SQS interface endpoint.
 */
export class ExecutionPurge extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: ExecutionPurgeProps) {
    super(scope, id);
    const { tables, functions, network, stage, projectRoot } = props;

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      // Six times the function timeout, as AWS recommends for an event source queue.
      visibilityTimeout: Duration.seconds(PURGE_FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });

    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'QueueEndpointSecurityGroup', {
      vpc: network.vpc,
      description: 'SQS interface endpoint: HTTPS from the functions',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(network.functionSecurityGroup, ec2.Port.tcp(443), 'SQS from the functions');
    network.vpc.addInterfaceEndpoint('QueueEndpoint', {
      service: ec2.InterfaceVpcEndpointAwsService.SQS,
      subnets: network.functionSubnets,
      securityGroups: [endpointSecurityGroup],
      privateDnsEnabled: true,
      open: false,
    });

    this.function = new lambda.Function(this, 'Function', {
      ...serviceFunctionProps({
        projectRoot,
        handler: PURGE_FUNCTION.handler,
        stage,
        network,
        logGroup: new logs.LogGroup(this, 'Logs', { retention: stage.logRetention, removalPolicy: stage.dataRemovalPolicy }),
      }),
      memorySize: 512,
      timeout: PURGE_FUNCTION_TIMEOUT,
      reservedConcurrentExecutions: PURGE_CONCURRENCY,
      environment: {
        VARIABLES_TABLE: tables.variables.tableName,
        REFERENCES_TABLE: tables.references.tableName,
        PURGE_QUEUE_URL: this.queue.queueUrl,
        ...serviceEnvironment(stage),
      },
    });
    this.function.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
    tables.variables.grantReadWriteData(this.function);
    tables.references.grantReadWriteData(this.function);
    this.queue.grantSendMessages(this.function);

    this.acknowledgeNagFindings();

    const deleteExecution = functions.forOperation('DeleteExecution');
    deleteExecution.addEnvironment('PURGE_QUEUE_URL', this.queue.queueUrl);
    this.queue.grantSendMessages(deleteExecution);
  }

  /** The purge's own findings, each with why it does not apply (the API functions' are in lib/nag.ts). */
  private acknowledgeNagFindings(): void {
    const role = this.function.role?.node.defaultChild ? this.function.role : undefined;
    acknowledgeServiceFunction(this.function, role, 'table and queue access are granted on their ARNs');
    acknowledge(
      this.function,
      'Serverless',
      'Serverless-LambdaDLQ',
      "Invoked by an SQS event source: a message that keeps failing is moved to the queue's own dead-letter queue after 5 receives",
    );
    acknowledge(
      this.function,
      'Serverless',
      'Serverless-LambdaEventSourceMappingDestination',
      'SQS retries a failed slice and redrives it to the dead-letter queue; an on-failure destination would duplicate that',
    );
    acknowledge(this.deadLetters, 'Serverless', 'Serverless-SQSRedrivePolicy', "This queue is itself the purge queue's dead-letter queue");
  }
}

import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { StageConfig } from '../stages';
import type { CacheNetwork } from './cache-network';
import { lambdaBundling } from './function-bundling';

/**
 * What every function of the service shares, API routes and the purge function alike: the module
 * under functions/handlers/, Node 22 on ARM, JSON logs into its own group, the isolated subnets,
 * the stack's bundling, and Lambda's active tracing — its own segments of every invocation at no
 * CPU cost to the function; the in-process X-Ray SDK only where the stage turns it on (inProcessTracing).
 */
export function serviceFunctionProps(options: {
  projectRoot: string;
  /** Module under functions/handlers/, without extension (e.g. `variables/get-variable`). */
  handler: string;
  stage: StageConfig;
  network: CacheNetwork;
  logGroup: logs.ILogGroup;
}): NodejsFunctionProps {
  const { projectRoot, handler, stage, network, logGroup } = options;
  return {
    entry: path.join(projectRoot, 'functions', 'handlers', `${handler}.ts`),
    handler: 'handler',
    projectRoot,
    depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    vpc: network.vpc,
    vpcSubnets: network.functionSubnets,
    securityGroups: [network.functionSecurityGroup],
    bundling: lambdaBundling(stage.inProcessTracing),
  };
}

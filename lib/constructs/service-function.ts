import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../constants';
import type { StageConfig } from '../stages';
import type { CacheNetwork } from './cache-network';
import { functionCode } from './function-bundling';

/**
 * What every function of the service shares, API routes and the purge function alike: the module
 * under functions/handlers/ built by scripts/bundle-functions.ts (function-bundling.ts
 * functionCode), Node 22 on ARM, JSON logs into its own group, the isolated subnets, and Lambda's
 * active tracing — its own segments of every invocation at no CPU cost to the function; the
 * in-process X-Ray SDK only where the stage turns it on (inProcessTracing).
 */
export function serviceFunctionProps(options: {
  projectRoot: string;
  /** Module under functions/handlers/, without extension (e.g. `variables/get-variable`). */
  handler: string;
  stage: StageConfig;
  network: CacheNetwork;
  logGroup: logs.ILogGroup;
}): lambda.FunctionProps {
  const { projectRoot, handler, stage, network, logGroup } = options;
  return {
    code: functionCode(projectRoot, handler, stage.inProcessTracing),
    // The bundle is index.mjs; its export is `handler`.
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    vpc: network.vpc,
    vpcSubnets: network.functionSubnets,
    securityGroups: [network.functionSecurityGroup],
  };
}

/** The environment every function of the service shares: Powertools' names and tracing, source-mapped stack traces. */
export function serviceEnvironment(stage: StageConfig): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_TRACE_ENABLED: String(stage.inProcessTracing),
    NODE_OPTIONS: '--enable-source-maps',
  };
}

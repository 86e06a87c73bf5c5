import type { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { FUNCTION_TIMEOUT } from '../constants';
import type { ApiFunctions } from './api-functions';
import { type ExecutionPurge, PURGE_FUNCTION_TIMEOUT } from './execution-purge';
import { PURGE_FUNCTION } from './function-bundling';

export interface WatchedFunction {
  fn: lambda.IFunction;
  /** What its alarms and graph lines are called: the operation (the API functions' construct ids) or PurgeExecution. */
  name: string;
  timeout: Duration;
}

/** Every function of the stack, for the alarms and the dashboard: the API's and the queued purge. */
export function watchedFunctions(props: { functions: ApiFunctions; purge: ExecutionPurge }): WatchedFunction[] {
  return [
    ...props.functions.all.map((fn) => ({ fn, name: fn.node.id, timeout: FUNCTION_TIMEOUT })),
    { fn: props.purge.function, name: PURGE_FUNCTION.operation, timeout: PURGE_FUNCTION_TIMEOUT },
  ];
}

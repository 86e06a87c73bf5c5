import { ADDRESS } from '#functions/routes/addresses';
import { ok, route, READ_ERRORS } from '#functions/routes/contract';
import { executionPath, readHeaders } from '#functions/routes/parameter-sets';
import { executionSummary } from '#schemas/executions';

export const GetExecution = route({
  ...ADDRESS.GetExecution,
  handler: 'executions/get-execution',
  operation: 'GetExecution',
  summary: 'Summary of an execution: counts, variables, recent references',
  authenticated: true,
  request: { path: executionPath(), headers: readHeaders() },
  responses: { 200: ok('The summary (zeros and empty lists for an execution with no data)', executionSummary) },
  errors: READ_ERRORS,
});

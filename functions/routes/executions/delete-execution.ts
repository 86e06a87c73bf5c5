import { ADDRESS } from '#functions/routes/addresses';
import { ok, route, IDEMPOTENCY_ERRORS, READ_ERRORS } from '#functions/routes/contract';
import { executionPath } from '#functions/routes/parameter-sets';
import { executionDeleting } from '#schemas/executions';
import { acceptLanguageParameter, idempotencyKeyParameter, parameterSet } from '#schemas/parameters';

export const DeleteExecution = route({
  ...ADDRESS.DeleteExecution,
  handler: 'executions/delete-execution',
  operation: 'DeleteExecution',
  summary: 'Delete an execution: all its variables and lineage records',
  authenticated: true,
  request: {
    path: executionPath(),
    headers: parameterSet({ 'Accept-Language': acceptLanguageParameter(), 'Idempotency-Key': idempotencyKeyParameter() }),
  },
  responses: {
    204: { description: 'Everything is gone' },
    202: ok('Too large to purge within the request: reads already see it empty, the purge finishes in the background', executionDeleting),
  },
  errors: [...READ_ERRORS, ...IDEMPOTENCY_ERRORS],
});

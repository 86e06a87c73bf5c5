import { apiHandler } from '#middleware/api-handler';
import { executionReads } from '#functions/composition/execution-reads';
import { json } from '#middleware/responses';

export const handler = apiHandler('GetExecution', async (request, deps) => json(200, await deps.executions.summary(request.executionId)), {
  dependencies: executionReads,
});

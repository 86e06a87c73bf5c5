import { apiHandler } from '#middleware/api-handler';
import { json } from '#middleware/responses';

export const handler = apiHandler('GetExecution', async (request, deps) => json(200, await deps.executions.summary(request.executionId)));

import { apiHandler } from '#middleware/api-handler';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { noContent } from '#middleware/responses';

export const handler = apiHandler('DeleteExecution', async (request, deps) =>
  onceForIdempotencyKey(request, deps, async () => {
    await deps.executions.delete(request.executionId);
    return noContent();
  }),
);

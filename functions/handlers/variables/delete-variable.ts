import { apiHandler } from '#middleware/api-handler';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { noContent } from '#middleware/responses';

export const handler = apiHandler('DeleteVariable', async (request, deps) =>
  onceForIdempotencyKey(request, deps, async () => {
    await deps.variables.delete(request.executionId, request.pathParameters.variable_name);
    return noContent();
  }),
);

import { apiHandler } from '#middleware/api-handler';
import { variableWrites } from '#functions/composition/variable-writes';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { expectedVersion } from '#middleware/if-match';
import { noContent } from '#middleware/responses';

export const handler = apiHandler(
  'DeleteVariable',
  async (request, deps) => {
    // If-Match makes the delete conditional, as it does a PUT: 412 when the variable moved on.
    const ifMatch = expectedVersion(request.headers['if-match']);
    return onceForIdempotencyKey(request, deps, async () => {
      await deps.variables.delete(request.executionId, request.pathParameters.variable_name, ifMatch);
      return noContent();
    });
  },
  { dependencies: variableWrites },
);

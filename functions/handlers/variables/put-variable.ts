import { expectedVersion } from '#middleware/if-match';
import { apiHandler } from '#middleware/api-handler';
import { variableWrites } from '#functions/composition/variable-writes';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { json } from '#middleware/responses';
import { checkPutBody } from '#services/write-validation';

export const handler = apiHandler(
  'StoreVariable',
  async (request, deps) => {
    const name = request.pathParameters.variable_name;
    const write = checkPutBody(request.body, name);
    const ifMatch = expectedVersion(request.headers['if-match']);
    return onceForIdempotencyKey(request, deps, async () => {
      const { metadata, created } = await deps.variables.put(request.executionId, write, ifMatch);
      return json(created ? 201 : 200, metadata, { ETag: `"${metadata.version}"` });
    });
  },
  { dependencies: variableWrites },
);

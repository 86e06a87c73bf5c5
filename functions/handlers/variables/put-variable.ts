import * as ROUTE from '#functions/routes/variables/put-variable';
import { apiHandler } from '#middleware/api-handler';
import { variableWrites } from '#functions/composition/variable-writes';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { respond } from '#middleware/route-response';
import { etagOf } from '#functions/routes/headers';

const route = ROUTE.StoreVariable;

export const handler = apiHandler(
  route,
  async (input, deps) =>
    onceForIdempotencyKey(input, deps, async () => {
      const { metadata, created } = await deps.variables.put(input.path.execution_id, input.body, input.headers['If-Match']);
      return respond(route, created ? 201 : 200, metadata, { ETag: etagOf(metadata.version) });
    }),
  { dependencies: variableWrites },
);

import * as ROUTE from '#functions/routes/variables/post-variables';
import { apiHandler } from '#middleware/api-handler';
import { variableWrites } from '#functions/composition/variable-writes';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { respond } from '#middleware/route-response';
import { etagOf } from '#functions/routes/headers';

const route = ROUTE.StoreVariables;

/** One named variable is stored "as PUT", If-Match included; a batch (checked whole by the route's body parser) all at once. */
export const handler = apiHandler(
  route,
  async (input, deps) => {
    const { path, body, headers } = input;
    return onceForIdempotencyKey(input, deps, async () => {
      if (body.kind === 'batch') {
        const results = await deps.variables.putMany(path.execution_id, body.writes);
        return respond(route, 200, { results, count: results.length });
      }
      const { metadata, created } = await deps.variables.put(path.execution_id, body.write, headers['If-Match']);
      return respond(route, created ? 201 : 200, metadata, { ETag: etagOf(metadata.version) });
    });
  },
  { dependencies: variableWrites },
);

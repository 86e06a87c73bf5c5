import * as ROUTE from '#functions/routes/variables/delete-variable';
import { apiHandler } from '#middleware/api-handler';
import { variableWrites } from '#functions/composition/variable-writes';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { respondEmpty } from '#middleware/route-response';

const route = ROUTE.DeleteVariable;

// If-Match makes the delete conditional, as it does a PUT: 412 when the variable moved on.
export const handler = apiHandler(
  route,
  async (input, deps) =>
    onceForIdempotencyKey(input, deps, async () => {
      await deps.variables.delete(input.path.execution_id, input.path.variable_name, input.headers['If-Match']);
      return respondEmpty(route, 204);
    }),
  { dependencies: variableWrites },
);

import * as ROUTE from '#functions/routes/variables/get-variable';
import { apiHandler } from '#middleware/api-handler';
import { variableReads } from '#functions/composition/variable-reads';
import { respond } from '#middleware/route-response';
import { etagOf } from '#functions/routes/headers';

const route = ROUTE.GetVariable;

export const handler = apiHandler(
  route,
  async ({ path }, deps) => {
    const variable = await deps.variables.get(path.execution_id, path.variable_name);
    return respond(route, 200, variable, { ETag: etagOf(variable.version) });
  },
  { dependencies: variableReads },
);

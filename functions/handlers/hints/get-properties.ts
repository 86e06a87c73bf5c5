import * as ROUTE from '#functions/routes/hints/properties';
import { apiHandler } from '#middleware/api-handler';
import { hints } from '#functions/composition/hints';
import { respond } from '#middleware/route-response';

/** `{variable_name}` may be a reference path (`product_info.specs`, `items[0]`): the use case reads it. */
export function propertiesHandler(route: typeof ROUTE.GetProperties | typeof ROUTE.GetPropertiesCompat) {
  return apiHandler(
    route,
    async ({ path, query }, deps) =>
      respond(route, 200, await deps.hints.properties(path.execution_id, path.variable_name, query.max_depth)),
    { dependencies: hints },
  );
}

export const handler = propertiesHandler(ROUTE.GetProperties);

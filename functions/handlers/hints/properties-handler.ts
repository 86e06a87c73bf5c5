import type * as ROUTE from '#functions/routes/hints/properties';
import { apiHandler } from '#middleware/api-handler';
import { hints } from '#functions/composition/hints';
import { respond } from '#middleware/route-response';

/**
 * The handler of the properties route and of its twin on the original editor's path, in a module of
 * its own: each function's entry builds only its own chain at init.
 * `{variable_name}` may be a reference path (`product_info.specs`, `items[0]`): the use case reads it.
 */
export function propertiesHandler(route: typeof ROUTE.GetProperties | typeof ROUTE.GetPropertiesCompat) {
  return apiHandler(
    route,
    async ({ path, query }, deps) =>
      respond(route, 200, await deps.hints.properties(path.execution_id, path.variable_name, query.max_depth)),
    { dependencies: hints },
  );
}

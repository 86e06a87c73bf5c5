import * as ROUTE from '#functions/routes/hints/search-variables';
import { apiHandler } from '#middleware/api-handler';
import { hints } from '#functions/composition/hints';
import { respond } from '#middleware/route-response';

const route = ROUTE.SearchVariables;

/** Only suggestions take loose parameters (API.md §5); search follows the general rules: a bad limit or step_index is 400. */
export const handler = apiHandler(
  route,
  async ({ path, query }, deps) => {
    const matches = await deps.hints.search(path.execution_id, query.q, query.step_index, query.limit);
    return respond(route, 200, { query: query.q, matches, count: matches.length });
  },
  { dependencies: hints },
);

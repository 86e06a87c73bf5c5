import * as ROUTE from '#functions/routes/variables/list-variables';
import { apiHandler } from '#middleware/api-handler';
import { variableReads } from '#functions/composition/variable-reads';
import { respond } from '#middleware/route-response';

const route = ROUTE.ListVariables;

export const handler = apiHandler(
  route,
  async ({ path, query }, deps) => {
    const page = await deps.variables.list(path.execution_id, {
      limit: query.limit,
      cursor: query.cursor,
      includeValues: query.include_values,
    });
    return respond(route, 200, {
      execution_id: path.execution_id,
      variables: page.variables,
      count: page.variables.length,
      next_cursor: page.nextCursor,
    });
  },
  { dependencies: variableReads },
);

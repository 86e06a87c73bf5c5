import * as ROUTE from '#functions/routes/references/list-references';
import { apiHandler } from '#middleware/api-handler';
import { references } from '#functions/composition/references';
import { respond } from '#middleware/route-response';

const route = ROUTE.ListReferences;

export const handler = apiHandler(
  route,
  async ({ path, query, language }, deps) => {
    const filter = { stepIndex: query.step_index, status: query.status, variableName: query.variable_name };
    const page = await deps.references.page(path.execution_id, filter, query.limit, query.cursor, language);
    return respond(route, 200, {
      execution_id: path.execution_id,
      references: page.records,
      count: page.records.length,
      next_cursor: page.nextCursor,
    });
  },
  { dependencies: references },
);

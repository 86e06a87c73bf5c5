import { parseBooleanFlag } from '#domain/identifiers';
import { apiHandler } from '#middleware/api-handler';
import { variableReads } from '#functions/composition/variable-reads';
import { limitParam } from '#middleware/query';
import { json } from '#middleware/responses';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '#services/variables';

export const handler = apiHandler(
  'ListVariables',
  async (request, deps) => {
    const limit = limitParam(request.query.limit, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT);
    const includeValues = parseBooleanFlag(request.query.include_values, false);
    const page = await deps.variables.list(request.executionId, { limit, cursor: request.query.cursor, includeValues });
    return json(200, {
      execution_id: request.executionId,
      variables: page.variables,
      count: page.variables.length,
      next_cursor: page.nextCursor,
    });
  },
  { dependencies: variableReads },
);

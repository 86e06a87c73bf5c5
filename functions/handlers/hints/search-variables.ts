import { ApiError } from '#domain/errors';
import { checkSearchQuery, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from '#domain/hints/index';
import { apiHandler } from '#middleware/api-handler';
import { hints } from '#functions/composition/hints';
import { limitParam, stepIndexParam } from '#middleware/query';
import { json } from '#middleware/responses';

/** Only suggestions take loose parameters (API.md §5); search follows the general rules: a bad limit or step_index is 400. */
export const handler = apiHandler(
  'SearchVariables',
  async (request, deps) => {
    const checked = checkSearchQuery(request.query.q);
    if (!checked.ok) {
      throw new ApiError(
        'INVALID_REQUEST',
        checked.reason === 'blank' ? "Query parameter 'q' must not be blank" : "Query parameter 'q' is longer than 100 characters",
        { field: 'q' },
      );
    }
    const limit = limitParam(request.query.limit, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT);
    const matches = await deps.hints.search(request.executionId, checked.trimmed, stepIndexParam(request.query.step_index), limit);
    return json(200, { query: checked.trimmed, matches, count: matches.length });
  },
  { dependencies: hints },
);

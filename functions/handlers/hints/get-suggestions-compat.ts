import * as ROUTE from '#functions/routes/hints/get-suggestions-compat';
import { apiHandler } from '#middleware/api-handler';
import { hints } from '#functions/composition/hints';
import { respondSerialized } from '#middleware/route-response';
import { suggestionsRequest } from '#handlers/hints/suggestions-request';

const route = ROUTE.GetSuggestionsCompat;

/**
 * GET /api/executions/{id}/variable-suggestions: the original step editor's path. Its items also
 * carry `preview`; the use case renders (and caches) that form itself (API.md §5 "Compatibility").
 */
export const handler = apiHandler(
  route,
  async (input, deps) => {
    const text = await deps.hints.suggestionsJson(suggestionsRequest(input, 'editor'));
    return respondSerialized(route, 200, text);
  },
  { dependencies: hints },
);

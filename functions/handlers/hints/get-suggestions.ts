import * as ROUTE from '#functions/routes/hints/get-suggestions';
import { apiHandler } from '#middleware/api-handler';
import { hints } from '#functions/composition/hints';
import { respondSerialized } from '#middleware/route-response';
import { suggestionsRequest } from '#handlers/hints/suggestions-request';

const route = ROUTE.GetSuggestions;

export const handler = apiHandler(
  route,
  async (input, deps) => {
    // Cached JSON text, typed by the answer it was rendered from (SuggestionsForms['standard']).
    const text = await deps.hints.suggestionsJson(suggestionsRequest(input, 'standard'));
    return respondSerialized(route, 200, text);
  },
  { dependencies: hints },
);

import { ROUTE } from '#functions/routes';
import { suggestionsHandler } from '#handlers/hints/get-suggestions';

/** GET /api/executions/{id}/variable-suggestions: the original step editor's path, items with `preview`. */
export const handler = suggestionsHandler(ROUTE.GetSuggestionsCompat, { compatible: true });

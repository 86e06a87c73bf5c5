import { ADDRESS } from '#functions/routes/addresses';
import { ok } from '#functions/routes/contract';
import { suggestionsRoute } from '#functions/routes/hints/suggestions-route';
import { compatSuggestions } from '#schemas/suggestions';

export const GetSuggestionsCompat = suggestionsRoute(
  ADDRESS.GetSuggestionsCompat,
  'hints/get-suggestions-compat',
  'GetSuggestionsCompat',
  'GetSuggestions for the original step editor: items also carry `preview`',
  ok('The suggestions, each item with preview = preview_value', compatSuggestions),
);

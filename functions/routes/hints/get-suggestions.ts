import { ADDRESS } from '#functions/routes/addresses';
import { ok } from '#functions/routes/contract';
import { suggestionsRoute } from '#functions/routes/hints/suggestions-route';
import { suggestions } from '#schemas/suggestions';

export const GetSuggestions = suggestionsRoute(
  ADDRESS.GetSuggestions,
  'hints/get-suggestions',
  'GetSuggestions',
  'Variables visible before a step, for the step editor',
  ok('The suggestions (mode "basic" when degraded)', suggestions),
);

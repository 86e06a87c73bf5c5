import { ok, EXECUTION } from '#functions/routes/contract';
import { suggestionsRoute } from '#functions/routes/hints/suggestions-route';
import { suggestions } from '#schemas/hints';

export const GetSuggestions = suggestionsRoute(
  `${EXECUTION}/variable-suggestions`,
  'hints/get-suggestions',
  'GetSuggestions',
  'Variables visible before a step, for the step editor',
  ok('The suggestions (mode "basic" when degraded)', suggestions),
);

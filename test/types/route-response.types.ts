/**
 * Compile-time checks of typed output, for `npm run typecheck` (tsc reads test/; jest does not run
 * this file): each `@ts-expect-error` line must fail to compile, so an answer a route entry does not
 * document — body, status or required header — is caught by the type-check, not by a client.
 */
import type { SuggestionsForms } from '#domain/hints/index';
import type { JsonText } from '#domain/json';
import type { ValidationResult } from '#domain/references/index';
import { ROUTE } from '#functions/routes';
import { respond, respondEmpty, respondSerialized } from '#middleware/route-response';
import type { ResolveResult } from '#services/references';
import type { VariablePage } from '#services/variables';

export const bodiesAndStatuses = () => [
  respond(ROUTE.DeleteExecution, 202, { execution_id: 'e', status: 'deleting' }),
  // @ts-expect-error 'gone' is not the documented status of a 202
  respond(ROUTE.DeleteExecution, 202, { execution_id: 'e', status: 'gone' }),
  // @ts-expect-error 204 has no body
  respond(ROUTE.DeleteExecution, 204, {}),
  // @ts-expect-error a 200 is not an answer of this route
  respondEmpty(ROUTE.DeleteExecution, 200),
];

const health = {
  status: 'down',
  checks: { database: { status: 'down', latency_ms: 1 }, cache: { status: 'ok' } },
  version: '1',
} as const;

export const requiredHeaders = () => [
  respond(ROUTE.Health, 503, health, { 'Retry-After': '1' }),
  // @ts-expect-error a 503 of health carries Retry-After
  respond(ROUTE.Health, 503, health),
  respond(ROUTE.Health, 200, { ...health, status: 'ok' }),
];

export const useCaseResults = (
  resolved: ResolveResult,
  results: ValidationResult[],
  page: VariablePage,
  standard: JsonText<SuggestionsForms['standard']>,
  editor: JsonText<SuggestionsForms['editor']>,
) => [
  respond(ROUTE.Resolve, 200, resolved),
  // @ts-expect-error a resolve answer lists its records
  respond(ROUTE.Resolve, 200, { ...resolved, references: resolved.references.length }),
  respond(ROUTE.ValidateReferences, 200, { validation_results: results }),
  respond(ROUTE.ValidateReferences, 200, {
    // @ts-expect-error an invalid item carries one of the documented codes
    validation_results: [{ reference: 'x', is_valid: false, error_code: 'UNKNOWN', error: 'e', suggestion: 's' }],
  }),
  respond(ROUTE.ListVariables, 200, { execution_id: 'e', variables: page.variables, count: 0, next_cursor: page.nextCursor }),
  respond(ROUTE.ListVariables, 200, {
    execution_id: 'e',
    // @ts-expect-error a listed value is JSON
    variables: [{ ...page.variables[0], value: () => 1 }],
    count: 1,
    next_cursor: null,
  }),
  respondSerialized(ROUTE.GetSuggestions, 200, standard),
  respondSerialized(ROUTE.GetSuggestionsCompat, 200, editor),
  // @ts-expect-error the original editor's items carry preview: /v1's text has none
  respondSerialized(ROUTE.GetSuggestionsCompat, 200, standard),
  // @ts-expect-error a plain string does not say what it was rendered from
  respondSerialized(ROUTE.GetSuggestions, 200, '{}'),
];

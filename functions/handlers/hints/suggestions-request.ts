import type { ROUTE } from '#functions/routes';
import type { RouteInput } from '#middleware/route-request';
import type { SuggestionsForm } from '#domain/hints/index';
import type { SuggestionsRequest } from '#services/hints';

/** Both suggestions routes take the same path and query. */
type SuggestionsInput = RouteInput<typeof ROUTE.GetSuggestions | typeof ROUTE.GetSuggestionsCompat>;

/**
 * The editor sends loose values (the routes' query reads them: a non-integer step_index is absent,
 * a bad limit is ignored); `form` says which answer the route documents.
 */
export function suggestionsRequest<Form extends SuggestionsForm>({ path, query }: SuggestionsInput, form: Form): SuggestionsRequest<Form> {
  return {
    executionId: path.execution_id,
    stepIndex: query.step_index,
    includeProperties: query.include_properties,
    limit: query.limit,
    form,
  };
}

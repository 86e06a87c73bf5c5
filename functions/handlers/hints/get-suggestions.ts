import { ROUTE } from '#functions/routes';
import { withEditorPreview } from '#domain/hints/editor-compat';
import { apiHandler } from '#middleware/api-handler';
import { hints } from '#functions/composition/hints';
import { respondSerialized } from '#middleware/route-response';

/**
 * The editor sends loose values (the route's query reads them: a non-integer step_index is absent,
 * a bad limit is ignored). `compatible` serves the original step editor, which reads each item's
 * `preview` (API.md §5 "Compatibility with the original step editor").
 */
export function suggestionsHandler(
  route: typeof ROUTE.GetSuggestions | typeof ROUTE.GetSuggestionsCompat,
  options: { compatible: boolean },
) {
  return apiHandler(
    route,
    async ({ path, query }, deps) => {
      const body = await deps.hints.suggestionsJson({
        executionId: path.execution_id,
        stepIndex: query.step_index,
        includeProperties: query.include_properties,
        limit: query.limit,
      });
      // The use case answers with cached JSON text built to the Suggestions schema.
      return respondSerialized(route, 200, options.compatible ? withEditorPreview(body) : body);
    },
    { dependencies: hints },
  );
}

export const handler = suggestionsHandler(ROUTE.GetSuggestions, { compatible: false });

import { parseBooleanFlag, parseIntegerParam } from '#domain/identifiers';
import { apiHandler } from '#middleware/api-handler';
import { hints } from '#functions/composition/hints';
import { looseStepIndexParam } from '#middleware/query';
import { jsonText } from '#middleware/responses';
import { withEditorPreview } from '#domain/hints/editor-compat';

/**
 * The editor sends loose values: a non-integer step_index is absent, a bad limit is ignored.
 * `compatible` serves the original step editor, which reads each item's `preview`
 * (API.md §5 "Compatibility with the original step editor").
 */
export function suggestionsHandler(operation: string, options: { compatible: boolean }) {
  return apiHandler(
    operation,
    async (request, deps) => {
      const stepIndex = looseStepIndexParam(request.query.step_index);
      const rawLimit = parseIntegerParam(request.query.limit);
      const limit = rawLimit !== undefined && rawLimit > 0 ? rawLimit : undefined;
      const includeProperties = parseBooleanFlag(request.query.include_properties, true);
      const body = await deps.hints.suggestionsJson({ executionId: request.executionId, stepIndex, includeProperties, limit });
      return jsonText(200, options.compatible ? withEditorPreview(body) : body);
    },
    { dependencies: hints },
  );
}

export const handler = suggestionsHandler('GetSuggestions', { compatible: false });

import { parseBooleanFlag, parseIntegerParam } from '#domain/identifiers';
import { apiHandler } from '#middleware/api-handler';
import { looseStepIndexParam } from '#middleware/query';
import { jsonText } from '#middleware/responses';

interface SuggestionsAnswer {
  variables: Array<{ preview_value: string; preview?: string }>;
}

/**
 * The editor sends loose values: a non-integer step_index is absent, a bad limit is ignored.
 * `withPreview` serves the original step editor, which reads each item's `preview`: the same text
 * as `preview_value` (API.md §5 "Compatibility with the original step editor").
 */
export function suggestionsHandler(operation: string, options: { withPreview: boolean }) {
  return apiHandler(operation, async (request, deps) => {
    const stepIndex = looseStepIndexParam(request.query.step_index);
    const rawLimit = parseIntegerParam(request.query.limit);
    const limit = rawLimit !== undefined && rawLimit > 0 ? rawLimit : undefined;
    const includeProperties = parseBooleanFlag(request.query.include_properties, true);
    const body = await deps.hints.suggestionsJson({ executionId: request.executionId, stepIndex, includeProperties, limit });
    if (!options.withPreview) return jsonText(200, body);
    const answer = JSON.parse(body) as SuggestionsAnswer;
    for (const item of answer.variables) item.preview = item.preview_value;
    return jsonText(200, JSON.stringify(answer));
  });
}

export const handler = suggestionsHandler('GetSuggestions', { withPreview: false });

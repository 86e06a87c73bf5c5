import { parseBooleanFlag, parseIntegerParam } from '#domain/identifiers';
import { apiHandler } from '#middleware/api-handler';
import { looseStepIndexParam } from '#middleware/query';
import { jsonText } from '#middleware/responses';

/** The editor sends loose values: a non-integer step_index is absent, a bad limit is ignored. */
export const handler = apiHandler('GetSuggestions', async (request, deps) => {
  const stepIndex = looseStepIndexParam(request.query.step_index);
  const rawLimit = parseIntegerParam(request.query.limit);
  const limit = rawLimit !== undefined && rawLimit > 0 ? rawLimit : undefined;
  const includeProperties = parseBooleanFlag(request.query.include_properties, true);
  const body = await deps.hints.suggestionsJson({ executionId: request.executionId, stepIndex, includeProperties, limit });
  return jsonText(200, body);
});

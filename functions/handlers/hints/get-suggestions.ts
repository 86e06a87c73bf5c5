import { parseBooleanFlag, parseIntegerParam } from '#domain/identifiers';
import { apiHandler } from '#middleware/api-handler';
import { looseStepIndexParam } from '#middleware/query';
import { json } from '#middleware/responses';

/** The editor sends loose values: a non-integer step_index is absent, a bad limit is ignored. */
export const handler = apiHandler('GetSuggestions', async (request, deps) => {
  const stepIndex = looseStepIndexParam(request.query.step_index);
  const rawLimit = parseIntegerParam(request.query.limit);
  const limit = rawLimit !== undefined && rawLimit > 0 ? rawLimit : undefined;
  const includeProperties = parseBooleanFlag(request.query.include_properties, true);
  const { variables, mode } = await deps.hints.suggestions(request.executionId, stepIndex, includeProperties, limit);
  return json(200, { execution_id: request.executionId, current_step_index: stepIndex ?? null, variables, total_count: variables.length, mode });
});

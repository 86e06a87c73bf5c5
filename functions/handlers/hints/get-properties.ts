import { ApiError } from '#domain/errors';
import { parseIntegerParam } from '#domain/identifiers';
import { clampMaxDepth, DEFAULT_PROPERTIES_DEPTH } from '#domain/hints/index';
import { apiHandler } from '#middleware/api-handler';
import { hints } from '#functions/composition/hints';
import { json } from '#middleware/responses';

/** `{variable_name}` may be a reference path (`product_info.specs`, `items[0]`): the use case reads it. */
export function propertiesHandler(operation: string) {
  return apiHandler(
    operation,
    async (request, deps) => {
      const raw = request.query.max_depth;
      let maxDepth = DEFAULT_PROPERTIES_DEPTH;
      if (raw !== undefined) {
        if (!/^-?\d+$/.test(raw))
          throw new ApiError('INVALID_REQUEST', `Query parameter 'max_depth' must be an integer, got '${raw.slice(0, 100)}'`, {
            field: 'max_depth',
          });
        // Any integer is clamped, even one too large to represent exactly.
        maxDepth = clampMaxDepth(parseIntegerParam(raw) ?? (raw.startsWith('-') ? -Infinity : Infinity));
      }
      return json(200, await deps.hints.properties(request.executionId, request.pathParameters.variable_name, maxDepth));
    },
    { referencePathParameter: 'variable_name', dependencies: hints },
  );
}

export const handler = propertiesHandler('GetProperties');

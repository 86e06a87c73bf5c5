import { ApiError } from '#domain/errors';
import type { JsonValue } from '#domain/json';
import { MAX_NESTING_DEPTH, nestingDepth } from '#domain/json';
import { apiHandler } from '#middleware/api-handler';
import { references } from '#functions/composition/references';
import { json } from '#middleware/responses';
import { parseBody } from '#schemas/common';
import { resolveBody } from '#schemas/references';

export const handler = apiHandler(
  'Resolve',
  async (request, deps) => {
    const body = parseBody(resolveBody, request.body);
    if (body.params !== undefined && nestingDepth(body.params) > MAX_NESTING_DEPTH) {
      throw new ApiError('INVALID_REQUEST', `Field 'params' is nested deeper than ${MAX_NESTING_DEPTH} levels`, { field: 'params' });
    }
    const { body: result, failed } = await deps.references.resolve(
      request.executionId,
      { ...body, params: body.params as JsonValue | undefined },
      request.language,
    );
    if (body.strict && failed.length > 0) {
      throw new ApiError(
        'UNRESOLVED_REFERENCES',
        `${failed.length} reference(s) could not be resolved, first '${failed[0].original_expression}'`,
        { failed_references: failed },
      );
    }
    return json(200, result);
  },
  { dependencies: references },
);

import { ApiError } from '#domain/errors';
import { apiHandler } from '#middleware/api-handler';
import { references } from '#functions/composition/references';
import { json } from '#middleware/responses';
import { parseBody } from '#schemas/common';
import { validateBody } from '#schemas/references';

export const handler = apiHandler(
  'ValidateReferences',
  async (request, deps) => {
    if (request.body === undefined)
      throw new ApiError('INVALID_REQUEST', "A JSON body with 'references' is required", { field: 'references' });
    const body = parseBody(validateBody, request.body);
    const results = await deps.references.validate(request.executionId, body.references, body.step_index, request.language);
    return json(200, { validation_results: results });
  },
  { dependencies: references },
);

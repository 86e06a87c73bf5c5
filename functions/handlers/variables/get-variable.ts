import { apiHandler } from '#middleware/api-handler';
import { variableReads } from '#functions/composition/variable-reads';
import { json } from '#middleware/responses';

export const handler = apiHandler(
  'GetVariable',
  async (request, deps) => {
    const variable = await deps.variables.get(request.executionId, request.pathParameters.variable_name);
    return json(200, variable, { ETag: `"${variable.version}"` });
  },
  { dependencies: variableReads },
);

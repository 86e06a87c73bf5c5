import { route, EXECUTION, IDEMPOTENCY_ERRORS, READ_ERRORS } from '#functions/routes/contract';
import { variablePath, writeHeaders } from '#functions/routes/parameter-sets';

export const DeleteVariable = route({
  method: 'DELETE',
  path: `${EXECUTION}/variables/{variable_name}`,
  handler: 'variables/delete-variable',
  operation: 'DeleteVariable',
  summary: 'Delete a variable',
  authenticated: true,
  request: { path: variablePath(), headers: writeHeaders() },
  responses: { 204: { description: 'Deleted' } },
  errors: [...READ_ERRORS, ...IDEMPOTENCY_ERRORS, 'INVALID_VARIABLE_NAME', 'VARIABLE_NOT_FOUND', 'VERSION_MISMATCH'],
});

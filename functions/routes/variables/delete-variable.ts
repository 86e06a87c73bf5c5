import { ADDRESS } from '#functions/routes/addresses';
import { route, IDEMPOTENCY_ERRORS, READ_ERRORS } from '#functions/routes/contract';
import { variablePath, writeHeaders } from '#functions/routes/parameter-sets';

export const DeleteVariable = route({
  ...ADDRESS.DeleteVariable,
  handler: 'variables/delete-variable',
  operation: 'DeleteVariable',
  summary: 'Delete a variable',
  authenticated: true,
  request: { path: variablePath(), headers: writeHeaders() },
  responses: { 204: { description: 'Deleted' } },
  errors: [...READ_ERRORS, ...IDEMPOTENCY_ERRORS, 'INVALID_VARIABLE_NAME', 'VARIABLE_NOT_FOUND', 'VERSION_MISMATCH'],
});

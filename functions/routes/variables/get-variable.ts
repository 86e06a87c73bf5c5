import { ADDRESS } from '#functions/routes/addresses';
import { ok, route, READ_ERRORS } from '#functions/routes/contract';
import { ETAG } from '#functions/routes/headers';
import { readHeaders, variablePath } from '#functions/routes/parameter-sets';
import { variableWithValue } from '#schemas/variables';

export const GetVariable = route({
  ...ADDRESS.GetVariable,
  handler: 'variables/get-variable',
  operation: 'GetVariable',
  summary: 'Read a variable with its value',
  authenticated: true,
  memoryMb: 1024,
  request: { path: variablePath(), headers: readHeaders() },
  responses: { 200: ok('The variable', variableWithValue, { ETag: ETAG }) },
  errors: [...READ_ERRORS, 'INVALID_VARIABLE_NAME', 'VARIABLE_NOT_FOUND'],
});

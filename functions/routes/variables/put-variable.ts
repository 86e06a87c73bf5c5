import { ADDRESS } from '#functions/routes/addresses';
import { ok, route, WRITE_ERRORS } from '#functions/routes/contract';
import { ETAG } from '#functions/routes/headers';
import { variablePath, writeHeaders } from '#functions/routes/parameter-sets';
import { variableMetadata } from '#schemas/variables';
import { parsePutBody, putVariableBody } from '#schemas/writes';

export const StoreVariable = route({
  ...ADDRESS.StoreVariable,
  handler: 'variables/put-variable',
  operation: 'StoreVariable',
  summary: 'Store a variable (create or overwrite)',
  authenticated: true,
  memoryMb: 1024,
  request: {
    path: variablePath(),
    headers: writeHeaders(),
    body: putVariableBody,
    parseBody: (json, { pathParameters }) => parsePutBody(json, pathParameters.variable_name),
  },
  responses: { 201: ok('Created', variableMetadata, { ETag: ETAG }), 200: ok('Overwritten', variableMetadata, { ETag: ETAG }) },
  errors: WRITE_ERRORS,
});

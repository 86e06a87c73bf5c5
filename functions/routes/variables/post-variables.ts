import { ADDRESS } from '#functions/routes/addresses';
import * as z from 'zod/mini';
import { ok, route, WRITE_ERRORS } from '#functions/routes/contract';
import { BATCH_ETAG, ETAG } from '#functions/routes/headers';
import { executionPath, writeHeaders } from '#functions/routes/parameter-sets';
import { variableBatchResult, variableMetadata } from '#schemas/variables';
import { parseStoreVariablesBody, storeVariablesBody } from '#schemas/writes';

export const StoreVariables = route({
  ...ADDRESS.StoreVariables,
  handler: 'variables/post-variables',
  operation: 'StoreVariables',
  summary: 'Store one named variable (as PUT) or a batch of 1 to 100',
  authenticated: true,
  memoryMb: 1024,
  request: {
    path: executionPath(),
    headers: writeHeaders(),
    body: storeVariablesBody,
    parseBody: (json, { headers }) => parseStoreVariablesBody(json, headers['if-match'] !== undefined),
  },
  responses: {
    201: ok('One variable, created', variableMetadata, { ETag: ETAG }),
    200: ok(
      'One variable overwritten (VariableMetadata, with ETag), or a batch stored (VariableBatchResult, no ETag)',
      z.union([variableMetadata, variableBatchResult]),
      { ETag: BATCH_ETAG },
    ),
  },
  errors: WRITE_ERRORS,
});

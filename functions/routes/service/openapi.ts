import { ADDRESS } from '#functions/routes/addresses';
import { commonErrors, ok, route } from '#functions/routes/contract';
import { openApiDocumentSchema } from '#schemas/openapi-document';

export const OpenApi = route({
  ...ADDRESS.OpenApi,
  handler: 'service/openapi',
  operation: 'OpenApi',
  summary: 'This document',
  authenticated: false,
  request: {},
  responses: { 200: ok('The OpenAPI 3.1 document of this API', openApiDocumentSchema) },
  errors: commonErrors({ authenticated: false, database: false, rateLimited: false }),
});

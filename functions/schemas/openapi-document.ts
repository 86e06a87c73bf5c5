/** GET /api/openapi.json's answer, as its entry documents it (functions/schemas/openapi.ts builds the document). */
import * as z from 'zod/mini';
import { component } from '#schemas/registry';

export const openApiDocumentSchema = component(
  'OpenApiDocument',
  z.catchall(
    z.object({ openapi: z.string(), info: z.catchall(z.object({}), z.unknown()), paths: z.record(z.string(), z.unknown()) }),
    z.unknown(),
  ),
);

import * as z from 'zod';
import { component } from '#schemas/registry';

export const health = component(
  'Health',
  z.strictObject({
    status: z.enum(['ok', 'degraded', 'down']),
    checks: z.strictObject({
      database: z.object({ status: z.enum(['ok', 'down']), latency_ms: z.number() }).catchall(z.unknown()),
      cache: z
        .object({ status: z.enum(['ok', 'degraded']) })
        .catchall(z.unknown())
        .meta({ description: 'l1 (in-process) and l2 (Redis) states' }),
    }),
    version: z.string(),
  }),
);

export const openApiDocumentSchema = component(
  'OpenApiDocument',
  z
    .object({ openapi: z.string(), info: z.object({}).catchall(z.unknown()), paths: z.record(z.string(), z.unknown()) })
    .catchall(z.unknown()),
);

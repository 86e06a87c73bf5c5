/** GET /api/health's answer. */
import * as z from 'zod/mini';
import { component, described } from '#schemas/registry';

export const health = component(
  'Health',
  z.strictObject({
    status: z.enum(['ok', 'degraded', 'down']),
    checks: z.strictObject({
      database: z.catchall(z.object({ status: z.enum(['ok', 'down']), latency_ms: z.number() }), z.unknown()),
      cache: described(z.catchall(z.object({ status: z.enum(['ok', 'degraded']) }), z.unknown()), {
        description: 'l1 (in-process) and l2 (Redis) states',
      }),
    }),
    version: z.string(),
  }),
);

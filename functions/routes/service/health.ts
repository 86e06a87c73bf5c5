import { ADDRESS } from '#functions/routes/addresses';
import { commonErrors, ok, route } from '#functions/routes/contract';
import { RETRY_AFTER } from '#functions/routes/headers';
import { health } from '#schemas/service';

export const Health = route({
  ...ADDRESS.Health,
  handler: 'service/health',
  operation: 'Health',
  summary: 'Liveness: database and cache state',
  authenticated: false,
  request: {},
  responses: {
    200: ok('Up ("ok", or "degraded" while the cache is impaired)', health),
    503: ok('Down: the database is unreachable', health, { 'Retry-After': RETRY_AFTER }),
  },
  errors: commonErrors({ authenticated: false, database: false, rateLimited: false }),
});

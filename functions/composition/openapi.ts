import type { HttpDependencies } from '#middleware/api-handler';
import { Composition } from '#functions/composition/composition';
import { sharedConcurrency } from '#functions/composition/concurrency';
import { settings } from '#functions/composition/settings';

/**
 * The OpenAPI document: only the settings (its version) and the instance's concurrency limit. No
 * database, no Redis, no idempotency and no rate limiter: the document is the same for everyone,
 * built once per instance.
 */
export const openApi = new Composition<HttpDependencies>(() => ({
  settings,
  limits: { concurrency: sharedConcurrency(), rateLimiter: undefined },
}));

import { CacheHealth, type CacheHealthView } from '#adapters/cache/cache-health';
import type { HttpDependencies } from '#middleware/api-handler';
import type { VariableStore } from '#services/ports';
import { Composition } from '#functions/composition/composition';
import { sharedDatabase } from '#functions/composition/database';
import { inProcessCache } from '#functions/composition/in-process-cache';
import { settings } from '#functions/composition/settings';

/**
 * Health: a DynamoDB ping and the cache check of API.md (`checks.cache`: this instance's L1 and a
 * Redis ping). It builds no cache of its own: it reports the cache this process built for its other
 * routes, if any, and otherwise pings Redis itself (adapters/cache/cache-health.ts), so the Health
 * function carries no Redis client and no L1. No idempotency, no purge queue and no rate limiter:
 * it is exempt from the limits (API.md §8), so a probe tells a busy instance from a dead one.
 */
export interface HealthDependencies extends HttpDependencies {
  variableStore: Pick<VariableStore, 'ping'>;
  databaseBreaker: { readonly isOpen: boolean };
  cache: CacheHealthView;
}

export const health = new Composition<HealthDependencies>(() => {
  const database = sharedDatabase();
  return {
    settings,
    variableStore: database.variableStore,
    databaseBreaker: database.breaker,
    cache: new CacheHealth(settings.redisUrl, inProcessCache),
  };
});

import type { TieredCache } from '#adapters/cache/tiered-cache';
import type { HttpDependencies } from '#middleware/api-handler';
import type { VariableStore } from '#services/ports';
import { sharedCache } from '#functions/composition/cache';
import { Composition } from '#functions/composition/composition';
import { sharedDatabase } from '#functions/composition/database';
import { settings } from '#functions/composition/settings';

/**
 * Health: a DynamoDB ping and the cache check of API.md (`checks.cache`: this instance's L1 and a
 * Redis ping). It keeps the real cache so the check is honest about Redis, but no idempotency, no
 * purge queue and no rate limiter: it is exempt from the limits (API.md §8), so a probe tells a
 * busy instance from a dead one.
 */
export interface HealthDependencies extends HttpDependencies {
  variableStore: Pick<VariableStore, 'ping'>;
  databaseBreaker: { readonly isOpen: boolean };
  cache: Pick<TieredCache, 'memoryBytes' | 'redisState' | 'pingRedis'>;
}

export const health = new Composition<HealthDependencies>(() => {
  const database = sharedDatabase();
  return { settings, variableStore: database.variableStore, databaseBreaker: database.breaker, cache: sharedCache() };
});

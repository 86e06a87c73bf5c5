import { MemoryCache } from '#adapters/cache/memory-cache';
import { RedisCache } from '#adapters/cache/redis-cache';
import { TieredCache } from '#adapters/cache/tiered-cache';
import type { Settings } from '#config/settings';
import { signals } from '#observability/signals';
import { shared } from '#functions/composition/composition';
import { registerInProcessCache } from '#functions/composition/in-process-cache';
import { settings } from '#functions/composition/settings';

/** L1 in this process, L2 in Redis when REDIS_URL is set; the connection is opened here, at init. */
export function createCache(settings: Settings): TieredCache {
  const memory = new MemoryCache(settings.l1MaxBytes, { onEviction: () => signals.l1Eviction() });
  const redis = settings.redisUrl
    ? new RedisCache(settings.redisUrl, {
        onError: (operation) => signals.cacheError(operation),
        onStateChange: (state) => signals.breakerStateChange('cache', state),
      })
    : undefined;
  return new TieredCache(memory, redis);
}

export const sharedCache = shared(() => {
  const cache = createCache(settings);
  // What the health check reports when it runs in this process (composition/in-process-cache.ts).
  registerInProcessCache(cache);
  return cache;
});

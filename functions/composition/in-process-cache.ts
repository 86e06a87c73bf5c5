import type { CacheHealthView } from '#adapters/cache/cache-health';

/**
 * The cache this process built, if any (composition/cache.ts registers it as it builds it). The
 * health check reads it without importing the cache's composition, so the Health function carries
 * neither ioredis nor the L1 (composition/health.ts). Module state: each function bundle has its own.
 */
let registered: CacheHealthView | undefined;

export function registerInProcessCache(cache: CacheHealthView): void {
  registered = cache;
}

export function inProcessCache(): CacheHealthView | undefined {
  return registered;
}

import { pingRedis } from '#adapters/cache/redis-ping';
import type { TieredCache } from '#adapters/cache/tiered-cache';

/** What the health check reads of the cache (API.md §5 `checks.cache`). */
export type CacheHealthView = Pick<TieredCache, 'memoryBytes' | 'redisState' | 'pingRedis'>;

/**
 * The cache as the health check sees it, without building one. When this process holds the
 * service's cache (a local server serves every route in one process), its L1 bytes, its Redis
 * state (breaker and connection) and a PING through its client are reported, as before. Otherwise
 * (the Health function in Lambda, an instance of its own whose L1 would always be empty) L1 is 0
 * bytes and Redis is asked by a PING of its own (redis-ping.ts): the state is `ok` until that PING
 * fails, which the check reports as `down`; `disabled` without a Redis URL.
 */
export class CacheHealth implements CacheHealthView {
  constructor(
    private readonly redisUrl: string | undefined,
    private readonly inProcessCache: () => CacheHealthView | undefined,
    private readonly ping: (url: string) => Promise<number> = pingRedis,
  ) {}

  get memoryBytes(): number {
    return this.inProcessCache()?.memoryBytes ?? 0;
  }

  get redisState(): CacheHealthView['redisState'] {
    const cache = this.inProcessCache();
    if (cache) return cache.redisState;
    return this.redisUrl ? 'ok' : 'disabled';
  }

  async pingRedis(): Promise<number | undefined> {
    const cache = this.inProcessCache();
    if (cache) return cache.pingRedis();
    return this.redisUrl ? this.ping(this.redisUrl) : undefined;
  }
}

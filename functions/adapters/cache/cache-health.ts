import { circuitBreaker, ConsecutiveBreaker, CircuitState, handleAll } from 'cockatiel';
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
 * fails, which the check reports as `down`; `disabled` without a Redis URL. A failed PING is not
 * tried again for a second (a breaker, as the cache client's): while Redis is unreachable a probe
 * is answered at once instead of waiting out the PING's timeout every time (API.md §6: fail fast).
 */
/** How long a failed PING is not repeated: the cache client's breaker waits as long before it tries again. */
const PING_RETRY_AFTER_MS = 1000;

export class CacheHealth implements CacheHealthView {
  constructor(
    private readonly redisUrl: string | undefined,
    private readonly inProcessCache: () => CacheHealthView | undefined,
    private readonly ping: (url: string) => Promise<number> = pingRedis,
  ) {}

  private readonly pingBreaker = circuitBreaker(handleAll, { halfOpenAfter: PING_RETRY_AFTER_MS, breaker: new ConsecutiveBreaker(1) });

  get memoryBytes(): number {
    return this.inProcessCache()?.memoryBytes ?? 0;
  }

  get redisState(): CacheHealthView['redisState'] {
    const cache = this.inProcessCache();
    if (cache) return cache.redisState;
    if (!this.redisUrl) return 'disabled';
    return this.pingBreaker.state === CircuitState.Open ? 'down' : 'ok';
  }

  async pingRedis(): Promise<number | undefined> {
    const cache = this.inProcessCache();
    if (cache) return cache.pingRedis();
    const url = this.redisUrl;
    return url ? this.pingBreaker.execute(() => this.ping(url)) : undefined;
  }
}

import type Redis from 'ioredis/built/Redis';
import { failFastRedis } from '#adapters/cache/redis-cache';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
// One module per class: the package's index loads every backend it supports (rate-limiter-flexible.d.ts).
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import RateLimiterRedis from 'rate-limiter-flexible/lib/RateLimiterRedis.js';
import RateLimiterRes from 'rate-limiter-flexible/lib/RateLimiterRes.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Requests per client per minute (API.md §8), counted in Redis so every instance shares one count.
 * The contract of this adapter:
 * - Redis is asked with the same fail-fast client options as the cache (no offline queue, no
 *   retries, a 150 ms command timeout), so a Redis outage never slows a request down;
 * - while Redis is unreachable the library's in-memory insurance limiter counts per instance;
 * - a client already over its limit is refused from memory until its minute ends, so an abusive
 *   client costs Redis nothing more;
 * - a refusal says how many seconds until a request would be allowed again (at least 1).
 */
export class ClientRateLimiter {
  private readonly limiter: RateLimiterAbstract;
  private readonly redis: Redis | undefined;

  constructor(
    readonly perMinute: number,
    redisUrl: string | undefined,
  ) {
    const insurance = new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix: 'rate' });
    if (!redisUrl) {
      this.limiter = insurance;
      return;
    }
    // Outages are expected: the insurance limiter takes over; nothing to report per request.
    this.redis = failFastRedis(redisUrl);
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      points: perMinute,
      duration: 60,
      keyPrefix: 'rate',
      rejectIfRedisNotReady: true,
      inMemoryBlockOnConsumed: perMinute + 1,
      insuranceLimiter: insurance,
    });
  }

  async consume(client: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(client);
      return { allowed: true };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes)
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
      // Neither Redis nor the insurance limiter could count: a limit must not become an outage.
      return { allowed: true };
    }
  }

  close(): void {
    this.redis?.disconnect();
  }
}

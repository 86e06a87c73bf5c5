import type { HttpDependencies } from '#middleware/api-handler';
import { sharedCache } from '#functions/composition/cache';
import { sharedConcurrency } from '#functions/composition/concurrency';
import { sharedRateLimiter } from '#functions/composition/rate-limiter';
import { settings } from '#functions/composition/settings';

/** What the HTTP chain of a limited, cached route uses: the settings, the limits of API.md §8, the L1 it reports. */
export function limitedHttp(): HttpDependencies {
  return { settings, limits: { concurrency: sharedConcurrency(), rateLimiter: sharedRateLimiter() }, cache: sharedCache() };
}

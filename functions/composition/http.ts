import type { HttpDependencies } from '#middleware/api-handler';
import { sharedConcurrency } from '#functions/composition/concurrency';
import { sharedRateLimiter } from '#functions/composition/rate-limiter';
import { settings } from '#functions/composition/settings';

/** What the HTTP chain of a limited route uses: the settings and the limits of API.md §8. */
export function limitedHttp(): HttpDependencies {
  return { settings, limits: { concurrency: sharedConcurrency(), rateLimiter: sharedRateLimiter() } };
}

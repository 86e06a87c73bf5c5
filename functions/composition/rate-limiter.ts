import { ClientRateLimiter } from '#adapters/rate-limit';
import { shared } from '#functions/composition/composition';
import { settings } from '#functions/composition/settings';

/** Requests per client per minute (API.md §8); undefined when RATE_LIMIT_PER_MINUTE is unset. */
export const sharedRateLimiter = shared(() =>
  settings.rateLimitPerMinute ? new ClientRateLimiter(settings.rateLimitPerMinute, settings.redisUrl) : undefined,
);

import { ConcurrencyLimit } from '#middleware/concurrency-limit';
import { shared } from '#functions/composition/composition';
import { settings } from '#functions/composition/settings';

/** This instance's limit on requests at once (API.md §8), one for all its routes. */
export const sharedConcurrency = shared(() => new ConcurrencyLimit(settings.maxConcurrentRequests));

import type { HttpDependencies } from '#middleware/api-handler';
import { sharedCache } from '#functions/composition/cache';
import { limitedHttp } from '#functions/composition/http';

/** What the HTTP chain of a limited read route uses: limitedHttp, and the L1 its reads fill, whose size is reported after each request. */
export function cachedReadHttp(): HttpDependencies & { cache: ReturnType<typeof sharedCache> } {
  return { ...limitedHttp(), cache: sharedCache() };
}

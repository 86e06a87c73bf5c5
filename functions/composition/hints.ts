import type { HttpDependencies } from '#middleware/api-handler';
import { signals } from '#observability/signals';
import { HintService } from '#services/hints';
import { sharedCache } from '#functions/composition/cache';
import { Composition } from '#functions/composition/composition';
import { cachedReadHttp } from '#functions/composition/read-http';
import { sharedSnapshots } from '#functions/composition/snapshots';

/** Suggestions, properties and search: snapshots and the cache; no lineage, no idempotency. */
export interface HintDependencies extends HttpDependencies {
  hints: Pick<HintService, 'suggestionsJson' | 'properties' | 'search'>;
}

export const hints = new Composition<HintDependencies>(() => ({
  ...cachedReadHttp(),
  hints: new HintService(sharedSnapshots(), sharedCache(), signals),
}));

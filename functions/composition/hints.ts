import type { HttpDependencies } from '#middleware/api-handler';
import { signals } from '#observability/signals';
import { HintService } from '#services/hints';
import { sharedCache } from '#functions/composition/cache';
import { Composition } from '#functions/composition/composition';
import { limitedHttp } from '#functions/composition/http';
import { sharedSnapshots } from '#functions/composition/snapshots';

/** Suggestions, properties and search: snapshots and the cache; no lineage, no idempotency. */
export interface HintDependencies extends HttpDependencies {
  hints: Pick<HintService, 'suggestionsJson' | 'properties' | 'search'>;
}

export const hints = new Composition<HintDependencies>(() => ({
  ...limitedHttp(),
  // Reads fill this instance's L1: its size is reported after each request.
  cache: sharedCache(),
  hints: new HintService(sharedSnapshots(), sharedCache(), signals),
}));

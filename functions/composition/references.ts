import type { HttpDependencies } from '#middleware/api-handler';
import { signals } from '#observability/signals';
import { ReferenceService } from '#services/references';
import { sharedCache } from '#functions/composition/cache';
import { Composition } from '#functions/composition/composition';
import { limitedHttp } from '#functions/composition/http';
import { sharedLineageLog } from '#functions/composition/lineage';
import { sharedSnapshots } from '#functions/composition/snapshots';

/** Resolve, validate and the lineage listing: snapshots and the lineage records; no idempotency. */
export interface ReferenceDependencies extends HttpDependencies {
  references: Pick<ReferenceService, 'resolve' | 'validate' | 'page'>;
}

export const references = new Composition<ReferenceDependencies>(() => ({
  ...limitedHttp(),
  // Reads fill this instance's L1: its size is reported after each request.
  cache: sharedCache(),
  references: new ReferenceService(sharedSnapshots(), sharedLineageLog(), signals),
}));

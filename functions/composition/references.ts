import type { HttpDependencies } from '#middleware/api-handler';
import { signals } from '#observability/signals';
import { ReferenceService } from '#services/references';
import { Composition } from '#functions/composition/composition';
import { cachedReadHttp } from '#functions/composition/read-http';
import { sharedLineageLog } from '#functions/composition/lineage';
import { sharedSnapshots } from '#functions/composition/snapshots';

/** Resolve, validate and the lineage listing: snapshots and the lineage records; no idempotency. */
export interface ReferenceDependencies extends HttpDependencies {
  references: Pick<ReferenceService, 'resolve' | 'validate' | 'page'>;
}

export const references = new Composition<ReferenceDependencies>(() => ({
  ...cachedReadHttp(),
  references: new ReferenceService(sharedSnapshots(), sharedLineageLog(), signals),
}));

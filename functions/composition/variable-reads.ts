import type { HttpDependencies } from '#middleware/api-handler';
import { VariableService } from '#services/variables';
import { sharedCache } from '#functions/composition/cache';
import { Composition } from '#functions/composition/composition';
import { sharedDatabase } from '#functions/composition/database';
import { limitedHttp } from '#functions/composition/http';
import { sharedSnapshots } from '#functions/composition/snapshots';

/** GET and list of variables: the store through the cache; no idempotency, no purge queue. */
export interface VariableReadDependencies extends HttpDependencies {
  variables: Pick<VariableService, 'get' | 'list'>;
}

export const variableReads = new Composition<VariableReadDependencies>(() => ({
  ...limitedHttp(),
  // Reads fill this instance's L1: its size is reported after each request.
  cache: sharedCache(),
  variables: new VariableService(sharedDatabase().variableStore, sharedSnapshots()),
}));

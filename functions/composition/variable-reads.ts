import type { HttpDependencies } from '#middleware/api-handler';
import { VariableService } from '#services/variables';
import { Composition } from '#functions/composition/composition';
import { sharedDatabase } from '#functions/composition/database';
import { cachedReadHttp } from '#functions/composition/read-http';
import { sharedSnapshots } from '#functions/composition/snapshots';

/** GET and list of variables: the store through the cache; no idempotency, no purge queue. */
export interface VariableReadDependencies extends HttpDependencies {
  variables: Pick<VariableService, 'get' | 'list'>;
}

export const variableReads = new Composition<VariableReadDependencies>(() => ({
  ...cachedReadHttp(),
  variables: new VariableService(sharedDatabase().variableStore, sharedSnapshots()),
}));

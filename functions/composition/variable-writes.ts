import type { IdempotencyGate } from '#adapters/idempotency-gate';
import type { HttpDependencies } from '#middleware/api-handler';
import { VariableService } from '#services/variables';
import { Composition } from '#functions/composition/composition';
import { sharedDatabase } from '#functions/composition/database';
import { limitedHttp } from '#functions/composition/http';
import { sharedIdempotency } from '#functions/composition/idempotency';
import { sharedSnapshots } from '#functions/composition/snapshots';

/** PUT, POST and DELETE of variables: the store and `Idempotency-Key`; no purge queue. */
export interface VariableWriteDependencies extends HttpDependencies {
  variables: Pick<VariableService, 'put' | 'putMany' | 'delete'>;
  idempotency: Pick<IdempotencyGate, 'run'>;
}

export const variableWrites = new Composition<VariableWriteDependencies>(() => ({
  ...limitedHttp(),
  variables: new VariableService(sharedDatabase().variableStore, sharedSnapshots()),
  idempotency: sharedIdempotency(),
}));

import type { IdempotencyGate } from '#adapters/idempotency-gate';
import type { HttpDependencies } from '#middleware/api-handler';
import type { ExecutionDeletions } from '#services/executions';
import { Composition } from '#functions/composition/composition';
import { limitedHttp } from '#functions/composition/http';
import { sharedIdempotency } from '#functions/composition/idempotency';
import { sharedDeletions } from '#functions/composition/purges';

/** DELETE of an execution: its deletion with `Idempotency-Key`, the purge queue (GET reads through execution-reads). */
export interface ExecutionDependencies extends HttpDependencies {
  executions: Pick<ExecutionDeletions, 'delete'>;
  idempotency: Pick<IdempotencyGate, 'run'>;
}

export const executions = new Composition<ExecutionDependencies>(() => ({
  ...limitedHttp(),
  executions: sharedDeletions(),
  idempotency: sharedIdempotency(),
}));

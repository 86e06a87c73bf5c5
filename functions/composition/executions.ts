import type { IdempotencyGate } from '#adapters/idempotency-gate';
import type { Settings } from '#config/settings';
import type { HttpDependencies } from '#middleware/api-handler';
import type { ExecutionService } from '#services/executions';
import { Composition } from '#functions/composition/composition';
import { limitedHttp } from '#functions/composition/http';
import { sharedIdempotency } from '#functions/composition/idempotency';
import { sharedExecutions } from '#functions/composition/purges';
import { settings } from '#functions/composition/settings';

/** DELETE of an execution: its deletion with `Idempotency-Key`, the purge queue (GET reads through execution-reads). */
export interface ExecutionDependencies extends HttpDependencies {
  executions: Pick<ExecutionService, 'delete'>;
  idempotency: Pick<IdempotencyGate, 'run'>;
}

export const executions = new Composition<ExecutionDependencies>(() => ({
  ...limitedHttp(),
  executions: sharedExecutions(),
  idempotency: sharedIdempotency(),
}));

/** The purge function (SQS): the rest of a large purge, in slices; no HTTP chain, no idempotency. */
export interface PurgeDependencies {
  settings: Settings;
  executions: Pick<ExecutionService, 'continuePurge'>;
}

export const executionPurges = new Composition<PurgeDependencies>(() => ({ settings, executions: sharedExecutions() }));

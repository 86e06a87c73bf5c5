import type { IdempotencyGate } from '#adapters/idempotency-gate';
import type { Settings } from '#config/settings';
import type { HttpDependencies } from '#middleware/api-handler';
import { SqsPurgeQueue } from '#adapters/purge-queue';
import { ExecutionDeletions } from '#services/executions';
import type { PurgeQueue } from '#services/ports';
import { Composition } from '#functions/composition/composition';
import { limitedHttp } from '#functions/composition/http';
import { sharedIdempotency } from '#functions/composition/idempotency';
import { sharedDatabase } from '#functions/composition/database';
import { createEraser, sharedDeletions } from '#functions/composition/purges';
import { settings } from '#functions/composition/settings';

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

/** The purge function (SQS): the rest of a large purge, in slices; no HTTP chain, no idempotency, no cache. */
export interface PurgeDependencies {
  settings: Settings;
  executions: Pick<ExecutionDeletions, 'continuePurge'>;
  /** Where the rest of a purge goes: back on the purge queue, after a second's pause (one SQS client). */
  rest: PurgeQueue;
}

export const executionPurges = new Composition<PurgeDependencies>(() => {
  const rest = new SqsPurgeQueue(settings.purgeQueueUrl ?? '', settings.region, 1);
  return { settings, executions: new ExecutionDeletions(createEraser(settings, sharedDatabase()), rest), rest };
});

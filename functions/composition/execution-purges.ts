import { SqsPurgeQueue } from '#adapters/purge-queue';
import type { Settings } from '#config/settings';
import { ExecutionDeletions } from '#services/executions';
import type { PurgeQueue } from '#services/ports';
import { Composition } from '#functions/composition/composition';
import { sharedDatabase } from '#functions/composition/database';
import { createEraser } from '#functions/composition/purges';
import { settings } from '#functions/composition/settings';

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

import { DynamoExecutionEraser } from '#adapters/dynamo/execution-eraser';
import { InProcessPurgeQueue, SqsPurgeQueue } from '#adapters/purge-queue';
import type { Settings } from '#config/settings';
import { logger } from '#observability/powertools';
import { ExecutionService } from '#services/executions';
import type { ExecutionEraser, PurgeQueue } from '#services/ports';
import { shared } from '#functions/composition/composition';
import { type Database, sharedDatabase } from '#functions/composition/database';
import { sharedLineageLog } from '#functions/composition/lineage';
import { settings } from '#functions/composition/settings';
import { sharedSnapshots } from '#functions/composition/snapshots';

export interface Purges {
  eraser: ExecutionEraser;
  /** Where unfinished execution purges go on: SQS in AWS (PURGE_QUEUE_URL), this process locally. */
  purges: PurgeQueue;
}

export function createPurges(settings: Settings, database: Database): Purges {
  const { documentClient, breaker, generations } = database;
  const eraser = new DynamoExecutionEraser(documentClient, breaker, generations, settings.variablesTable, settings.referencesTable);
  const purges = settings.purgeQueueUrl
    ? new SqsPurgeQueue(settings.purgeQueueUrl, settings.region)
    : new InProcessPurgeQueue(eraser, (error) =>
        logger.warn('an execution purge step failed; it is tried again shortly', { error_name: (error as Error)?.name }),
      );
  return { eraser, purges };
}

export const sharedPurges = shared(() => createPurges(settings, sharedDatabase()));

/** Deleting executions, inline and in the background (the DELETE route and the purge function). */
export const sharedExecutions = shared(() => {
  const { eraser, purges } = sharedPurges();
  return new ExecutionService(sharedSnapshots(), sharedLineageLog(), eraser, purges);
});

import { DynamoExecutionEraser } from '#adapters/dynamo/execution-eraser';
import { InProcessPurgeQueue, SqsPurgeQueue } from '#adapters/purge-queue';
import type { Settings } from '#config/settings';
import { logger } from '#observability/powertools';
import { ExecutionDeletions } from '#services/executions';
import type { ExecutionEraser, PurgeQueue } from '#services/ports';
import { shared } from '#functions/composition/composition';
import { type Database, sharedDatabase } from '#functions/composition/database';
import { settings } from '#functions/composition/settings';

export interface Purges {
  eraser: ExecutionEraser;
  /** Where unfinished execution purges go on: SQS in AWS (PURGE_QUEUE_URL), this process locally. */
  purges: PurgeQueue;
}

export function createEraser(settings: Settings, database: Database): ExecutionEraser {
  const { documentClient, breaker, generations } = database;
  return new DynamoExecutionEraser(documentClient, breaker, generations, settings.variablesTable, settings.referencesTable);
}

export function createPurges(settings: Settings, database: Database): Purges {
  const eraser = createEraser(settings, database);
  const purges = settings.purgeQueueUrl
    ? new SqsPurgeQueue(settings.purgeQueueUrl, settings.region)
    : new InProcessPurgeQueue(eraser, (error) =>
        logger.warn('an execution purge step failed; it is tried again shortly', { error_name: (error as Error)?.name }),
      );
  return { eraser, purges };
}

export const sharedPurges = shared(() => createPurges(settings, sharedDatabase()));

/** Deleting executions inline, the rest handed to the purge queue (the DELETE route). */
export const sharedDeletions = shared(() => {
  const { eraser, purges } = sharedPurges();
  return new ExecutionDeletions(eraser, purges);
});

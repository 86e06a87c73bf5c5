import type { HttpDependencies } from '#middleware/api-handler';
import { ExecutionService } from '#services/executions';
import type { ExecutionEraser, PurgeQueue } from '#services/ports';
import { Composition } from '#functions/composition/composition';
import { cachedReadHttp } from '#functions/composition/read-http';
import { sharedLineageLog } from '#functions/composition/lineage';
import { sharedSnapshots } from '#functions/composition/snapshots';

/** GET of an execution: its summary from the snapshot and the lineage tallies; no idempotency, no purge queue. */
export interface ExecutionReadDependencies extends HttpDependencies {
  executions: Pick<ExecutionService, 'summary'>;
}

/**
 * The summary never erases or queues a purge, and this read-only function carries neither the
 * eraser nor SQS. (ExecutionService takes both in its constructor: if it is split into summary and
 * deletion, this stand-in goes away.)
 */
const deletesElsewhere = (): Promise<never> => Promise.reject(new Error('the execution read function does not delete'));
const noDeletion: ExecutionEraser & PurgeQueue = {
  retire: deletesElsewhere,
  purge: deletesElsewhere,
  pending: deletesElsewhere,
  continueLater: deletesElsewhere,
};

export const executionReads = new Composition<ExecutionReadDependencies>(() => ({
  ...cachedReadHttp(),
  executions: new ExecutionService(sharedSnapshots(), sharedLineageLog(), noDeletion, noDeletion),
}));

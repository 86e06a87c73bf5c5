import type { HttpDependencies } from '#middleware/api-handler';
import { ExecutionSummaries } from '#services/executions';
import { Composition } from '#functions/composition/composition';
import { cachedReadHttp } from '#functions/composition/read-http';
import { sharedLineageLog } from '#functions/composition/lineage';
import { sharedSnapshots } from '#functions/composition/snapshots';

/** GET of an execution: its summary from the snapshot and the lineage tallies; no idempotency, no purge queue. */
export interface ExecutionReadDependencies extends HttpDependencies {
  executions: Pick<ExecutionSummaries, 'summary'>;
}

export const executionReads = new Composition<ExecutionReadDependencies>(() => ({
  ...cachedReadHttp(),
  executions: new ExecutionSummaries(sharedSnapshots(), sharedLineageLog()),
}));

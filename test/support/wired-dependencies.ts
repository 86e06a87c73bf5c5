import type { Settings } from '#config/settings';
import { createCache } from '#functions/composition/cache';
import { createDatabase } from '#functions/composition/database';
import { createLineageLog } from '#functions/composition/lineage';
import { createPurges } from '#functions/composition/purges';
import { signals } from '#observability/signals';
import { ExecutionDeletions, ExecutionSummaries } from '#services/executions';
import { HintService } from '#services/hints';
import { ReferenceService } from '#services/references';
import { SnapshotReader } from '#services/snapshot-reader';
import { VariableService } from '#services/variables';

/**
 * Every adapter and service wired together with the given settings, from the composition's own
 * factories, for integration tests. No function does this: each handler module gets only what
 * its route uses (functions/composition/).
 */
export function createDependencies(settings: Settings) {
  const database = createDatabase(settings);
  const lineageLog = createLineageLog(settings, database);
  const cache = createCache(settings);
  const snapshots = new SnapshotReader(database.variableStore, cache);
  const { eraser, purges } = createPurges(settings, database);
  return {
    settings,
    variableStore: database.variableStore,
    databaseBreaker: database.breaker,
    lineageLog,
    cache,
    snapshots,
    eraser,
    purges,
    variables: new VariableService(database.variableStore, snapshots),
    references: new ReferenceService(snapshots, lineageLog, signals),
    hints: new HintService(snapshots, cache, signals),
    summaries: new ExecutionSummaries(snapshots, lineageLog),
    deletions: new ExecutionDeletions(eraser, purges),
  };
}

export type Dependencies = ReturnType<typeof createDependencies>;

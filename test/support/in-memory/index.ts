import { ExecutionDeletions, ExecutionSummaries } from '#services/executions';
import { HintService } from '#services/hints';
import { ReferenceService } from '#services/references';
import { SnapshotReader } from '#services/snapshot-reader';
import { VariableService } from '#services/variables';
import { InMemoryExecutionEraser, InMemoryPurgeQueue } from './execution-eraser';
import { InMemoryLineageLog } from './lineage-log';
import { RecordingSignals } from './signals';
import { InMemorySnapshotCache } from './snapshot-cache';
import { InMemoryVariableStore } from './variable-store';

export { InMemoryExecutionEraser, InMemoryLineageLog, InMemoryPurgeQueue, InMemorySnapshotCache, InMemoryVariableStore, RecordingSignals };

/** The four use cases wired to in-memory ports, as the composition root wires them to DynamoDB and Redis. */
export function inMemoryServices(options: { inlinePayloadBytes?: number; cache?: InMemorySnapshotCache } = {}) {
  const store = new InMemoryVariableStore(options.inlinePayloadBytes);
  const lineageLog = new InMemoryLineageLog();
  const cache = options.cache ?? new InMemorySnapshotCache();
  const signals = new RecordingSignals();
  const eraser = new InMemoryExecutionEraser(store, lineageLog);
  const purges = new InMemoryPurgeQueue();
  const snapshots = new SnapshotReader(store, cache);
  return {
    store,
    lineageLog,
    cache,
    signals,
    eraser,
    purges,
    snapshots,
    variables: new VariableService(store, snapshots),
    references: new ReferenceService(snapshots, lineageLog, signals),
    hints: new HintService(snapshots, cache, signals),
    summaries: new ExecutionSummaries(snapshots, lineageLog),
    deletions: new ExecutionDeletions(eraser, purges),
  };
}

/** A second instance over the same store and shared cache tier: its own in-process tier and snapshots. */
export function anotherInstance(services: ReturnType<typeof inMemoryServices>) {
  const cache = services.cache.asAnotherInstance();
  const snapshots = new SnapshotReader(services.store, cache);
  return { cache, snapshots, variables: new VariableService(services.store, snapshots) };
}

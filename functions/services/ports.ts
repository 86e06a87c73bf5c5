import type { StoredVariable, VariableHead, VariableMetadata, VariablePayload, VariableWrite } from '#domain/variable';
import type { ReferenceFailure, ReferenceRecordDraft } from '#domain/references/index';

export interface PutOptions {
  /** `If-Match`: the write happens only when the variable's stored `version` equals it. */
  expectedVersion?: number;
  now: string;
}

export interface PutResult {
  metadata: VariableMetadata;
  created: boolean;
}

/** The variables of executions, behind a port so the services never see DynamoDB. */
export interface VariableStore {
  /** The execution's current data epoch (a consistent read); null before the first write. */
  readDataEpoch(executionId: string): Promise<string | null>;
  /** Marks the execution's data as changed: a new epoch, so every cache entry keyed by the old one stops being used. */
  advanceDataEpoch(executionId: string): Promise<string>;
  putVariable(executionId: string, write: VariableWrite, options: PutOptions): Promise<PutResult>;
  getVariable(executionId: string, name: string): Promise<StoredVariable | undefined>;
  /** All heads of an execution, read consistently. */
  listHeads(executionId: string): Promise<VariableHead[]>;
  loadPayload(executionId: string, head: VariableHead): Promise<VariablePayload>;
  /** False when there was nothing to delete; VERSION_MISMATCH when `expectedVersion` (the variable's) is given and differs. */
  deleteVariable(executionId: string, name: string, expectedVersion?: number): Promise<boolean>;
  /** A cheap round trip for health checks. */
  ping(): Promise<void>;
}

/** One lineage record as returned (API.md §4 "Reference record"). */
export interface ReferenceRecord extends Omit<ReferenceRecordDraft, 'failure'> {
  created_at: string;
}

/** As stored: with the structured failure, so its message can be given again in another language. */
export interface StoredReferenceRecord extends ReferenceRecord {
  failure?: ReferenceFailure;
}

export interface ReferenceFilter {
  stepIndex?: number;
  status?: 'success' | 'failed';
  variableName?: string;
}

export type ReferenceTally = Pick<
  ReferenceRecord,
  'step_index' | 'variable_name' | 'resolution_status' | 'original_expression' | 'created_at'
>;

export interface ReferencePage {
  records: StoredReferenceRecord[];
  nextCursor: string | null;
}

/** Lineage records, ordered by step, then time of recording, then document order. */
export interface ReferenceLog {
  append(executionId: string, records: StoredReferenceRecord[]): Promise<void>;
  page(executionId: string, filter: ReferenceFilter, limit: number, cursor: string | undefined): Promise<ReferencePage>;
  /** What the summary counts, of every record of the execution, in log order (no resolved values are read). */
  tallies(executionId: string): Promise<ReferenceTally[]>;
}

/** An execution's data that no reader sees any more and that is still to be deleted. */
export interface RetiredExecution {
  executionId: string;
  /** Storage generations still to purge, oldest first. */
  generations: number[];
}

/** Deleting whole executions, whatever their size. */
export interface ExecutionEraser {
  /** Empties the execution for every reader at once; later writes start afresh, where the purge never goes. */
  retire(executionId: string): Promise<RetiredExecution>;
  /** Deletes retired data in bounded steps until `deadline` (epoch ms); true when none is left. Can be called again to go on. */
  purge(retired: RetiredExecution, deadline: number): Promise<boolean>;
  /** Retired data still to purge (to resume after a restart). */
  pending(): Promise<RetiredExecution[]>;
}

/** Where the rest of a purge that did not finish within its request goes, to finish by itself. */
export interface PurgeQueue {
  continueLater(retired: RetiredExecution): Promise<void>;
}

/** How a cached entry is made and kept: the loader, its text form for the shared tier, and whether this instance keeps it too. */
export interface CachedLoad<T> {
  load: () => Promise<T>;
  encode: (value: T) => string;
  decode: (encoded: string) => T;
  /** Large values skip the in-process tier so they cannot crowd out the hot snapshots. */
  keepInMemory: boolean;
  /** An entry whose estimated size is above this stays out of the in-process tier. */
  maxMemoryBytes?: number;
}

/**
 * Where snapshots, variables, payloads and rendered answers are cached. Keys name immutable
 * content (they carry a data epoch or a payload revision), so an entry is never invalidated.
 */
export interface SnapshotCache {
  /** This instance's entry, if it holds one (never a round trip). */
  peek<T>(key: string): T | undefined;
  /** Keeps a text in this instance only, charged at its in-memory size (e.g. a rendered answer). */
  keepTextLocally(key: string, text: string): void;
  /** Keeps a reference in this instance only (e.g. the last snapshot seen, for degraded answers). */
  keepLocally(key: string, value: unknown, sizeBytes: number): void;
  /** Read-through: this instance, then the shared tier, then `load` (concurrent misses share one load). */
  getOrLoad<T>(key: string, spec: CachedLoad<T>): Promise<T>;
}

/** A breaker of the services' own (not the database's or the cache's). */
export type ServiceBreaker = 'lineage' | 'suggestions';

/**
 * What the use cases report for operators (metrics and logs), without knowing how it is
 * published: observability/signals.ts is the one in production, tests pass a recorder.
 */
export interface ServiceSignals {
  breakerStateChange(dependency: ServiceBreaker, state: 'open' | 'half-open' | 'closed'): void;
  lineageWriteFailed(recordCount: number, error: unknown): void;
  degraded(feature: 'suggestions' | 'validate', reason: unknown): void;
}

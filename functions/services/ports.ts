import type { JsonObject, JsonValue } from '#domain/json';
import type { StoredVariable, VariableMetadata, VariableWrite } from '#domain/variable';
import type { ReferenceFailure, ReferenceRecordDraft } from '#domain/references/index';

/** A variable's value and the params of the step that produced it, stored together. */
export interface VariablePayload {
  value: JsonValue;
  params: JsonObject | null;
}

/**
 * A variable's head as the store keeps it: metadata, its preview, and the payload itself when it
 * is small enough to live inline (large payloads are loaded on demand with `loadPayload`).
 */
export interface VariableHead extends VariableMetadata {
  preview_value: string;
  payload: VariablePayload | undefined;
  /** Identifies the stored payload; immutable, so caches may key large values by it. */
  payload_rev: string;
  /** How many chunk items hold the payload when it is not inline. */
  payload_chunks: number;
}

export function withPayload(head: VariableHead, payload: VariablePayload): StoredVariable {
  const { preview_value: _preview, payload: _payload, payload_rev: _rev, payload_chunks: _chunks, ...metadata } = head;
  return { ...metadata, value: payload.value, source_api_params: payload.params };
}

export interface PutOptions {
  /** `If-Match`: the write happens only when the stored version equals it. */
  expectedVersion?: number;
  now: string;
}

export interface PutResult {
  metadata: VariableMetadata;
  created: boolean;
}

/** The variables of executions, behind a port so the services never see DynamoDB. */
export interface VariableStore {
  /** The execution's current data version (a consistent read); null before the first write. */
  readDataVersion(executionId: string): Promise<string | null>;
  /** Marks the execution's data as changed; every cache entry keyed by the old version stops being used. */
  bumpDataVersion(executionId: string): Promise<string>;
  putVariable(executionId: string, write: VariableWrite, options: PutOptions): Promise<PutResult>;
  getVariable(executionId: string, name: string): Promise<StoredVariable | undefined>;
  /** All heads of an execution, read consistently. */
  listHeads(executionId: string): Promise<VariableHead[]>;
  loadPayload(executionId: string, head: VariableHead): Promise<VariablePayload>;
  /** False when there was nothing to delete; VERSION_MISMATCH when `expectedVersion` is given and differs. */
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

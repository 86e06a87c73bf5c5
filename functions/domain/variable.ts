import type { DataType, JsonObject, JsonValue } from '#domain/json';

export const SENSITIVE_MASK = '"******"';

/** The metadata every variable response carries (API.md §5 "Variables"). */
export interface VariableMetadata {
  execution_id: string;
  variable_name: string;
  data_type: DataType;
  source_step_index: number;
  source_api_method: string | null;
  version: number;
  size_bytes: number;
  sensitive: boolean;
  created_at: string;
  updated_at: string;
}

/** A variable with its value and the params of the step that produced it. */
export interface StoredVariable extends VariableMetadata {
  value: JsonValue;
  source_api_params: JsonObject | null;
}

/** A variable's value and the params of the step that produced it, stored together. */
export interface VariablePayload {
  value: JsonValue;
  params: JsonObject | null;
}

/**
 * A variable's head as the store keeps it: metadata, its preview, and the payload itself when it
 * is small enough to live inline (large payloads are loaded on demand).
 */
export interface VariableHead extends VariableMetadata {
  preview_value: string;
  payload: VariablePayload | undefined;
  /** The payload revision: names one stored payload, immutable, so caches may key large values by it. */
  payload_rev: string;
  /** How many chunk items hold the payload when it is not inline. */
  payload_chunks: number;
}

export function withPayload(head: VariableHead, payload: VariablePayload): StoredVariable {
  const { preview_value: _preview, payload: _payload, payload_rev: _rev, payload_chunks: _chunks, ...metadata } = head;
  return { ...metadata, value: payload.value, source_api_params: payload.params };
}

/** What a write asks for, after validation. */
export interface VariableWrite {
  variable_name: string;
  value: JsonValue;
  source_step_index: number;
  source_api_method: string | null;
  source_api_params: JsonObject | null;
  sensitive: boolean;
}

/** List order: source step, then last update, then name (API.md §5). */
export function compareListOrder(a: VariableMetadata, b: VariableMetadata): number {
  return (
    a.source_step_index - b.source_step_index ||
    (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : 0) ||
    (a.variable_name < b.variable_name ? -1 : a.variable_name > b.variable_name ? 1 : 0)
  );
}

/** The metadata fields in the order answers list them (API.md §5): toMetadata picks them from this one list. */
const METADATA_FIELDS = [
  'execution_id',
  'variable_name',
  'data_type',
  'source_step_index',
  'source_api_method',
  'version',
  'size_bytes',
  'sensitive',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof VariableMetadata)[];

// tsc fails here when VariableMetadata gains a field the list does not name.
const everyFieldListed: [Exclude<keyof VariableMetadata, (typeof METADATA_FIELDS)[number]>] extends [never] ? true : never = true;
void everyFieldListed;

/** Only the metadata of a head or stored variable, in answer order. */
export function toMetadata(variable: VariableMetadata): VariableMetadata {
  const metadata: Partial<Record<keyof VariableMetadata, unknown>> = {};
  for (const field of METADATA_FIELDS) metadata[field] = variable[field];
  return metadata as VariableMetadata;
}

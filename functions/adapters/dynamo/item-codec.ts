import type { DataType } from '#domain/json';
import { parseJson } from '#domain/ordered-json';
import type { VariableHead, VariablePayload } from '#domain/variable';

/**
 * How variables are laid out in the variables table (partition = execution id):
 *   `#DATA_VERSION`            the execution's data epoch, `rev` (advanced by every write)
 *   `V#<name>`                 a variable's head: metadata, preview, payload inline when small
 *   `C#<name>#<rev>#<nnn>`     payload chunks of large values, immutable per rev
 * Names cannot contain '#', so the prefixes never collide.
 */
export const DATA_VERSION_KEY = '#DATA_VERSION';
export const HEAD_PREFIX = 'V#';
export const headKey = (name: string): string => `${HEAD_PREFIX}${name}`;
export const chunkPrefix = (name: string, rev: string): string => `C#${name}#${rev}#`;
export const chunkKey = (name: string, rev: string, index: number): string => `${chunkPrefix(name, rev)}${String(index).padStart(3, '0')}`;

/** Payloads up to this size live in the head item; the rest is split into chunks below DynamoDB's 400 KB item limit. */
export const INLINE_PAYLOAD_BYTES = 64 * 1024;
export const CHUNK_BYTES = 300 * 1024;

export interface HeadItem {
  execution_id: string;
  sk: string;
  name: string;
  data_type: DataType;
  step: number;
  method: string | null;
  version: number;
  size_bytes: number;
  sensitive: boolean;
  created_at: string;
  updated_at: string;
  preview: string;
  /** The preview is too long for this item and is rebuilt from the payload (variable-store.ts). */
  preview_in_payload?: boolean;
  rev: string;
  /** The payload JSON when inline. */
  inline?: string;
  /** Number of chunk items when not inline. */
  chunks: number;
  expires_at: number;
}

/** The payload JSON is built by concatenation so the value is stringified once. */
export function encodePayload(valueJson: string, paramsJson: string): string {
  return `{"v":${valueJson},"p":${paramsJson}}`;
}

export function decodePayload(json: string): VariablePayload {
  const parsed = parseJson(json) as { v: VariablePayload['value']; p: VariablePayload['params'] };
  return { value: parsed.v, params: parsed.p };
}

export function headFromItem(executionId: string, item: HeadItem): VariableHead {
  return {
    execution_id: executionId,
    variable_name: item.name,
    data_type: item.data_type,
    source_step_index: item.step,
    source_api_method: item.method ?? null,
    version: item.version,
    size_bytes: item.size_bytes,
    sensitive: item.sensitive,
    created_at: item.created_at,
    updated_at: item.updated_at,
    preview_value: item.preview,
    payload: item.inline !== undefined ? decodePayload(item.inline) : undefined,
    payload_rev: item.rev,
    payload_chunks: item.inline !== undefined ? 0 : item.chunks,
  };
}

export function splitIntoChunks(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) chunks.push(bytes.subarray(offset, offset + CHUNK_BYTES));
  return chunks;
}

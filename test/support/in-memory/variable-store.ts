import { ApiError } from '#domain/errors';
import { compactJson, dataTypeOf, utf8ByteLength } from '#domain/json';
import { previewValue } from '#domain/hints/preview';
import { parseJson } from '#domain/ordered-json';
import { withPayload, type StoredVariable, type VariableHead, type VariablePayload, type VariableWrite } from '#domain/variable';
import type { PutOptions, PutResult, VariableStore } from '#services/ports';

interface StoredHead {
  head: Omit<VariableHead, 'payload'>;
  /** The payload as text, as a database holds it: every read parses it again, so no caller shares a stored object. */
  payloadJson: string;
}

interface Execution {
  epoch: string | null;
  heads: Map<string, StoredHead>;
}

/**
 * The variable store port in memory, with the rules the DynamoDB adapter keeps: versions count
 * from 1, `expectedVersion` refuses with VERSION_MISMATCH, payloads over `inlinePayloadBytes` are
 * not inline in the head (so services load them with `loadPayload`), and every write is a text
 * that is parsed on the way out (key order kept, integers stay integers).
 */
export class InMemoryVariableStore implements VariableStore {
  readonly executions = new Map<string, Execution>();
  /** How often each operation ran, to see what a cache saved. */
  readonly calls = { readDataEpoch: 0, listHeads: 0, getVariable: 0, loadPayload: 0, putVariable: 0 };
  /** When set, every call fails with it (e.g. a 503 SERVICE_UNAVAILABLE from the database breaker). */
  failure: Error | undefined;
  private epochs = 0;
  private revisions = 0;

  constructor(private readonly inlinePayloadBytes = 64 * 1024) {}

  private execution(executionId: string): Execution {
    let execution = this.executions.get(executionId);
    if (!execution) {
      execution = { epoch: null, heads: new Map() };
      this.executions.set(executionId, execution);
    }
    return execution;
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  async readDataEpoch(executionId: string): Promise<string | null> {
    this.check();
    this.calls.readDataEpoch += 1;
    return this.executions.get(executionId)?.epoch ?? null;
  }

  async advanceDataEpoch(executionId: string): Promise<string> {
    this.check();
    this.epochs += 1;
    const epoch = `epoch-${this.epochs}`;
    this.execution(executionId).epoch = epoch;
    return epoch;
  }

  async putVariable(executionId: string, write: VariableWrite, options: PutOptions): Promise<PutResult> {
    this.check();
    this.calls.putVariable += 1;
    const heads = this.execution(executionId).heads;
    const previous = heads.get(write.variable_name)?.head;
    if (options.expectedVersion !== undefined && previous?.version !== options.expectedVersion) {
      throw new ApiError('VERSION_MISMATCH', `Variable '${write.variable_name}' is not at version ${options.expectedVersion}`, {
        variable_name: write.variable_name,
        expected_version: options.expectedVersion,
      });
    }
    const valueJson = compactJson(write.value);
    this.revisions += 1;
    const head: Omit<VariableHead, 'payload'> = {
      execution_id: executionId,
      variable_name: write.variable_name,
      data_type: dataTypeOf(write.value),
      source_step_index: write.source_step_index,
      source_api_method: write.source_api_method,
      version: (previous?.version ?? 0) + 1,
      size_bytes: utf8ByteLength(valueJson),
      sensitive: write.sensitive,
      created_at: previous?.created_at ?? options.now,
      updated_at: options.now,
      preview_value: previewValue(write.value, write.sensitive),
      payload_rev: `rev-${this.revisions}`,
      payload_chunks: 0,
    };
    const payloadJson = `{"value":${valueJson},"params":${compactJson(write.source_api_params)}}`;
    heads.set(write.variable_name, { head, payloadJson });
    const { preview_value: _preview, payload_rev: _rev, payload_chunks: _chunks, ...metadata } = head;
    return { metadata, created: previous === undefined };
  }

  async getVariable(executionId: string, name: string): Promise<StoredVariable | undefined> {
    this.check();
    this.calls.getVariable += 1;
    const stored = this.executions.get(executionId)?.heads.get(name);
    return stored ? withPayload({ ...stored.head, payload: undefined }, this.parsePayload(stored)) : undefined;
  }

  async listHeads(executionId: string): Promise<VariableHead[]> {
    this.check();
    this.calls.listHeads += 1;
    return [...(this.executions.get(executionId)?.heads.values() ?? [])].map((stored) => {
      const inline = utf8ByteLength(stored.payloadJson) <= this.inlinePayloadBytes;
      return { ...stored.head, payload: inline ? this.parsePayload(stored) : undefined, payload_chunks: inline ? 0 : 1 };
    });
  }

  async loadPayload(executionId: string, head: VariableHead): Promise<VariablePayload> {
    this.check();
    this.calls.loadPayload += 1;
    if (head.payload) return head.payload;
    const stored = this.executions.get(executionId)?.heads.get(head.variable_name);
    // The DynamoDB adapter keeps a superseded payload readable for a while; here a rewrite has replaced it.
    if (!stored || stored.head.payload_rev !== head.payload_rev) throw new Error(`payload of '${head.variable_name}' is gone`);
    return this.parsePayload(stored);
  }

  async deleteVariable(executionId: string, name: string, expectedVersion?: number): Promise<boolean> {
    this.check();
    const heads = this.executions.get(executionId)?.heads;
    const stored = heads?.get(name);
    if (expectedVersion !== undefined && stored && stored.head.version !== expectedVersion) {
      throw new ApiError('VERSION_MISMATCH', `Variable '${name}' is not at version ${expectedVersion}`, {
        variable_name: name,
        expected_version: expectedVersion,
      });
    }
    return heads?.delete(name) ?? false;
  }

  async ping(): Promise<void> {
    this.check();
  }

  /** Empties an execution for every reader at once (the eraser's retire), with a new epoch. */
  retire(executionId: string): void {
    const execution = this.executions.get(executionId);
    if (!execution) return;
    execution.heads = new Map();
    this.epochs += 1;
    execution.epoch = `epoch-${this.epochs}`;
  }

  private parsePayload(stored: StoredHead): VariablePayload {
    return parseJson(stored.payloadJson) as VariablePayload;
  }
}

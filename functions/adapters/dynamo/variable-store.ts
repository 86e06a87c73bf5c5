import { bulkhead } from 'cockatiel';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { pooledRandom } from '#adapters/dynamo/pooled-random';
import { ApiError } from '#domain/errors';
import { compactJson, dataTypeOf, utf8ByteLength } from '#domain/json';
import { previewValue } from '#domain/hints/preview';
import { withPayload, type StoredVariable, type VariableHead, type VariablePayload, type VariableWrite } from '#domain/variable';
import { type DatabaseBreaker, isConditionRefused } from '#adapters/dynamo/database-breaker';
import {
  DATA_VERSION_KEY,
  HEAD_PREFIX,
  INLINE_PAYLOAD_BYTES,
  chunkKey,
  chunkPrefix,
  decodePayload,
  encodePayload,
  headFromItem,
  headKey,
  splitIntoChunks,
  type HeadItem,
} from '#adapters/dynamo/item-codec';
import { queryAll, readChunks } from '#adapters/dynamo/partition';
import type { ExecutionGenerations } from '#adapters/dynamo/generations';
import type { PutOptions, PutResult, VariableStore } from '#services/ports';

const newRev = monotonicFactory(pooledRandom);

const versionMismatch = (name: string, expectedVersion: number | undefined): ApiError =>
  new ApiError('VERSION_MISMATCH', `Variable '${name}' is not at version ${expectedVersion}`, {
    variable_name: name,
    expected_version: expectedVersion,
  });

/** Superseded chunks stay readable this long, so a reader that saw the old head can still finish. */
const SUPERSEDED_CHUNK_GRACE_SECONDS = 3600;

export class DynamoVariableStore implements VariableStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly breaker: DatabaseBreaker,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
    private readonly generations: ExecutionGenerations,
  ) {}

  private expiresAt(nowMs = Date.now()): number {
    return Math.floor(nowMs / 1000) + this.retentionSeconds;
  }

  /** The execution's data lives in its current generation's partition (generations.ts). */
  private partition(executionId: string): Promise<string> {
    return this.generations.variablesPartition(executionId);
  }

  /** The data epoch is the version item's `rev` (its sort key keeps its old name, `#DATA_VERSION`). */
  async readDataEpoch(executionId: string): Promise<string | null> {
    return (await this.generations.readVersionItem(executionId)).rev;
  }

  async advanceDataEpoch(executionId: string): Promise<string> {
    // Writes that went into the generation this instance last saw, unread: the bump confirms it (generations.ts),
    // once every write of the request is in that generation (a lane may have landed elsewhere while another settled).
    await this.generations.strayWrites(executionId);
    const assumed = this.generations.unverifiedGeneration(executionId);
    const rev = newRev();
    const names: Record<string, string> = { '#rev': 'rev', '#expires': 'expires_at' };
    const values: Record<string, unknown> = { ':rev': rev, ':expires': this.expiresAt() };
    let condition: string | undefined;
    if (assumed !== undefined) {
      names['#generation'] = 'generation';
      values[':generation'] = assumed;
      condition = assumed === 0 ? 'attribute_not_exists(#generation) OR #generation = :generation' : '#generation = :generation';
    }
    try {
      // An update, not a put: the item also holds the generation and the purges still to do.
      await this.breaker.run(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { execution_id: executionId, sk: DATA_VERSION_KEY },
            UpdateExpression: 'SET #rev = :rev, #expires = :expires',
            ...(condition ? { ConditionExpression: condition } : {}),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
    } catch (error) {
      if (assumed === undefined || !isConditionRefused(error)) throw error;
      // Deleted since this instance last looked: the writes are made again in the current generation, then bumped there.
      await this.generations.settleMoved(executionId);
      return this.advanceDataEpoch(executionId);
    }
    if (assumed !== undefined) this.generations.verified(executionId);
    return rev;
  }

  putVariable(executionId: string, write: VariableWrite, options: PutOptions): Promise<PutResult> {
    return this.writeVariable(executionId, write, options);
  }

  /**
   * putVariable, with the answer object to fill: a write made again after the execution moved on
   * (generations.ts) fills the answer its first attempt handed back, however many times it is redone.
   */
  private async writeVariable(executionId: string, write: VariableWrite, options: PutOptions, answer?: PutResult): Promise<PutResult> {
    const valueJson = compactJson(write.value);
    const payload = Buffer.from(
      encodePayload(valueJson, write.source_api_params === null ? 'null' : compactJson(write.source_api_params)),
      'utf8',
    );
    const rev = newRev();
    const inline = payload.length <= INLINE_PAYLOAD_BYTES;
    const chunks = inline ? [] : splitIntoChunks(payload);
    // What this write puts into its partition: the head and this rev's chunks.
    const writtenKeys = [headKey(write.variable_name), ...chunks.map((_, index) => chunkKey(write.variable_name, rev, index))];
    const expiresAt = this.expiresAt();
    // No read of the generation first: the bump that ends every write confirms it (generations.ts).
    const partition = await this.generations.writerPartition(executionId);
    // Chunks first, under a new rev: until the head points at them no reader can see them.
    await Promise.all(
      chunks.map((data, index) =>
        this.breaker.run(() =>
          this.client.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { execution_id: partition, sk: chunkKey(write.variable_name, rev, index), data, expires_at: expiresAt },
            }),
          ),
        ),
      ),
    );
    // Every attribute goes through a name placeholder: several (e.g. `sensitive`, `name`) are DynamoDB reserved words.
    const fields: Record<string, unknown> = {
      name: write.variable_name,
      data_type: dataTypeOf(write.value),
      step: write.source_step_index,
      method: write.source_api_method,
      size_bytes: utf8ByteLength(valueJson),
      sensitive: write.sensitive,
      updated_at: options.now,
      ...previewFields(write),
      rev,
      chunks: chunks.length,
      expires_at: expiresAt,
      ...(inline ? { inline: payload.toString('utf8') } : {}),
    };
    const names: Record<string, string> = { '#version': 'version', '#created_at': 'created_at', '#inline': 'inline' };
    const values: Record<string, unknown> = { ':now': options.now, ':one': 1 };
    const assignments = Object.entries(fields).map(([field, value]) => {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      return `#${field} = :${field}`;
    });
    assignments.push('#created_at = if_not_exists(#created_at, :now)');
    const update = `SET ${assignments.join(', ')}${inline ? '' : ' REMOVE #inline'} ADD #version :one`;
    // The SDK retries an attempt that timed out, which may already have been applied: the rev
    // condition turns such a repeat into a refusal instead of a second version bump.
    let condition = '(attribute_not_exists(#rev) OR #rev <> :rev)';
    if (options.expectedVersion !== undefined) {
      condition += ' AND #version = :expected';
      values[':expected'] = options.expectedVersion;
    }
    let previous: HeadItem | undefined;
    try {
      const result = await this.breaker.run(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { execution_id: partition, sk: headKey(write.variable_name) },
            UpdateExpression: update,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      previous = result.Attributes as HeadItem | undefined;
    } catch (error) {
      if (isConditionRefused(error)) {
        // Refused in a generation assumed, not read: if the execution has moved on, the write belongs in the new one.
        if (await this.generations.movedOn(executionId, partition)) {
          // Refused in a retired partition: what this write left there (its chunks, an applied first attempt) goes, and
          // the write is made in the current generation.
          await this.generations.discard([{ partition, keys: writtenKeys }]);
          return this.writeVariable(executionId, write, options, answer);
        }
        const applied = await this.readHeadItem(partition, write.variable_name);
        if (applied?.rev === rev)
          return {
            created: applied.version === 1,
            metadata: this.metadataOf(executionId, write, valueJson, applied.version, applied.created_at, options.now),
          };
        // Without If-Match only this write's own rev refuses it: an earlier attempt of this call was applied (its answer
        // lost to a timeout) and another write has replaced it since. It succeeded; the version it had is not known any
        // more, so the answer gives one below the current: an If-Match with it can never overwrite the newer write unseen.
        if (options.expectedVersion === undefined) {
          const version = Math.max(1, (applied?.version ?? 2) - 1);
          return {
            created: false,
            metadata: this.metadataOf(executionId, write, valueJson, version, applied?.created_at ?? options.now, options.now),
          };
        }
        await this.expireChunks(partition, write.variable_name, rev, chunks.length);
        throw versionMismatch(write.variable_name, options.expectedVersion);
      }
      throw error;
    }
    if (previous && previous.inline === undefined && previous.chunks > 0) {
      await this.expireChunks(partition, write.variable_name, previous.rev, previous.chunks);
    }
    const result: PutResult = Object.assign(answer ?? ({} as PutResult), {
      created: previous === undefined,
      metadata: this.metadataOf(
        executionId,
        write,
        valueJson,
        (previous?.version ?? 0) + 1,
        previous?.created_at ?? options.now,
        options.now,
      ),
    });
    // Should the bump find the execution moved on, this write is made again there and this answer updated in place.
    this.generations.wroteUnverified(executionId, {
      partition,
      keys: writtenKeys,
      again: async () => {
        Object.assign(result, await this.writeVariable(executionId, write, options, result));
      },
    });
    return result;
  }

  private metadataOf(
    executionId: string,
    write: VariableWrite,
    valueJson: string,
    version: number,
    createdAt: string,
    now: string,
  ): PutResult['metadata'] {
    return {
      execution_id: executionId,
      variable_name: write.variable_name,
      data_type: dataTypeOf(write.value),
      source_step_index: write.source_step_index,
      source_api_method: write.source_api_method,
      version,
      size_bytes: utf8ByteLength(valueJson),
      sensitive: write.sensitive,
      created_at: createdAt,
      updated_at: now,
    };
  }

  private async readHeadItem(partition: string, name: string): Promise<HeadItem | undefined> {
    const { Item } = await this.breaker.run(() =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { execution_id: partition, sk: headKey(name) }, ConsistentRead: true }),
      ),
    );
    return Item as HeadItem | undefined;
  }

  /** Old chunks are not deleted at once: a reader that saw the previous head may still be fetching them. */
  private async expireChunks(partition: string, name: string, rev: string, count: number): Promise<void> {
    const expiresAt = Math.floor(Date.now() / 1000) + SUPERSEDED_CHUNK_GRACE_SECONDS;
    await Promise.allSettled(
      Array.from({ length: count }, (_, index) =>
        this.breaker.run(() =>
          this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { execution_id: partition, sk: chunkKey(name, rev, index) },
              UpdateExpression: 'SET expires_at = :expires',
              ConditionExpression: 'attribute_exists(sk)',
              ExpressionAttributeValues: { ':expires': expiresAt },
            }),
          ),
        ),
      ),
    );
  }

  async getVariable(executionId: string, name: string): Promise<StoredVariable | undefined> {
    const item = await this.readHeadItem(await this.partition(executionId), name);
    if (!item) return undefined;
    const head = headFromItem(executionId, item);
    return withPayload(head, await this.loadPayload(executionId, head));
  }

  async listHeads(executionId: string): Promise<VariableHead[]> {
    const items = await queryAll<HeadItem>(this.client, this.breaker, {
      TableName: this.tableName,
      KeyConditionExpression: 'execution_id = :id AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':id': await this.partition(executionId), ':prefix': HEAD_PREFIX },
      ConsistentRead: true,
    });
    const heads = items.map((item) => headFromItem(executionId, item));
    // A preview too long for the head item is rebuilt from the payload, a few at a time; the
    // snapshot that holds the heads is cached per version, so this is paid once per change.
    const lanes = bulkhead(PREVIEW_LANES, heads.length);
    await Promise.all(
      items.map(async (item, index) => {
        if (!item.preview_in_payload) return;
        const head = heads[index];
        const { value } = await lanes.execute(() => this.loadPayload(executionId, head));
        head.preview_value = previewValue(value, head.sensitive);
      }),
    );
    return heads;
  }

  async loadPayload(executionId: string, head: VariableHead): Promise<VariablePayload> {
    if (head.payload) return head.payload;
    const prefix = chunkPrefix(head.variable_name, head.payload_rev);
    return decodePayload(
      await readChunks(
        this.client,
        this.breaker,
        this.tableName,
        await this.partition(executionId),
        prefix,
        head.payload_chunks,
        `payload of '${head.variable_name}'`,
      ),
    );
  }

  async deleteVariable(executionId: string, name: string, expectedVersion?: number): Promise<boolean> {
    let outcome: { Attributes?: Record<string, unknown>; $metadata: { attempts?: number } };
    const partition = await this.partition(executionId);
    try {
      outcome = await this.breaker.run(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { execution_id: partition, sk: headKey(name) },
            ReturnValues: 'ALL_OLD',
            ...(expectedVersion === undefined
              ? {}
              : {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                }),
          }),
        ),
      );
    } catch (error) {
      if (!isConditionRefused(error)) throw error;
      const current = await this.readHeadItem(partition, name);
      if (current) throw versionMismatch(name, expectedVersion);
      outcome = { $metadata: (error as { $metadata?: { attempts?: number } }).$metadata ?? {} };
    }
    const previous = outcome.Attributes as HeadItem | undefined;
    if (previous && previous.inline === undefined && previous.chunks > 0)
      await this.expireChunks(partition, name, previous.rev, previous.chunks);
    // A retried attempt finds nothing when the one that timed out already deleted the item; the
    // variable is gone either way, so a retried delete is not reported as a missing variable.
    return previous !== undefined || (outcome.$metadata.attempts ?? 1) > 1;
  }

  async ping(): Promise<void> {
    await this.breaker.run(() =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { execution_id: '#health', sk: DATA_VERSION_KEY } })),
    );
  }
}

/**
 * An object's preview quotes its first three keys, and a key may be most of a 1 MiB value: a
 * preview longer than this is not kept in the head item (DynamoDB items end at 400 KB) but rebuilt
 * from the payload when the heads are listed. `preview_in_payload` is written on every put, so an
 * overwrite with a short preview clears it.
 */
const HEAD_PREVIEW_MAX_BYTES = 64 * 1024;
const PREVIEW_LANES = 4;

function previewFields(write: VariableWrite): { preview: string; preview_in_payload: boolean } {
  const preview = previewValue(write.value, write.sensitive);
  return utf8ByteLength(preview) <= HEAD_PREVIEW_MAX_BYTES
    ? { preview, preview_in_payload: false }
    : { preview: '', preview_in_payload: true };
}

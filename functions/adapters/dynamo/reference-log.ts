import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { pooledRandom } from '#adapters/dynamo/pooled-random';
import { decodeCursor, encodeCursor } from '#domain/cursor';
import type { JsonValue } from '#domain/json';
import { jsonBytesUpTo, PAGE_BUDGET_BYTES } from '#domain/output-budget';
import type { DatabaseBreaker } from '#adapters/dynamo/database-breaker';
import { batchWrite, queryAll, readChunks } from '#adapters/dynamo/partition';
import type { ExecutionGenerations } from '#adapters/dynamo/generations';
import { splitIntoChunks } from '#adapters/dynamo/item-codec';
import type { ReferenceFilter, ReferenceLog, ReferencePage, ReferenceTally, StoredReferenceRecord } from '#services/ports';

const newBatchId = monotonicFactory(pooledRandom);
const STEP_DIGITS = 6;

/**
 * How lineage is laid out in the references table (partition = execution id):
 *   `S#<step>#<batch>#<pos>`        one record: zero-padded step, a time-ordered id of the resolve
 *                                   call, then document order
 *   `R#<record sk>#<nnn>`           overflow chunks of a record too large for one item: values are
 *                                   capped at 1,024 code points (API.md §4), but a reference's path,
 *                                   expression and message are not (a 200 KiB key gives a ~600 KB record)
 */
const RECORD_PREFIX = 'S#';
const stepPrefix = (step: number): string => `${RECORD_PREFIX}${String(step).padStart(STEP_DIGITS, '0')}#`;
const recordKey = (step: number, batchId: string, position: number): string =>
  `${stepPrefix(step)}${batchId}#${String(position).padStart(4, '0')}`;
const overflowPrefix = (recordSk: string): string => `R#${recordSk}#`;
const overflowKey = (recordSk: string, index: number): string => `${overflowPrefix(recordSk)}${String(index).padStart(3, '0')}`;

/** What the execution summary reads of each record (and, with the sort key, what an overflowed head keeps when small). */
const TALLY_FIELDS = [
  'sk',
  'overflow_chunks',
  'step_index',
  'variable_name',
  'resolution_status',
  'original_expression',
  'created_at',
] as const;

/** Records up to this size are one item; larger ones are cut like large variable payloads (DynamoDB refuses items over 400 KB). */
const INLINE_RECORD_BYTES = 300 * 1024;
/** An oversized record still carries the attributes the listing filters on, when they are this small. */
const FILTERABLE_NAME_BYTES = 1024;

interface ReferenceItem extends StoredReferenceRecord {
  execution_id: string;
  sk: string;
  expires_at: number;
  /** Set when the record's JSON lives in overflow chunks; the item then holds only what filters read. */
  overflow_chunks?: number;
}

/**
 * A page's cursor holds the last record's sort key (domain/cursor.ts). It must point inside the
 * range being read (e.g. the filtered step), or DynamoDB would reject the query.
 */
function startKeyOf(cursor: string, executionId: string, requiredPrefix: string, partition: string): Record<string, unknown> {
  return decodeCursor(executionId, cursor, ([sk, ...rest]) =>
    typeof sk === 'string' && sk.startsWith(requiredPrefix) && rest.length === 0 ? { execution_id: partition, sk } : undefined,
  );
}

function stripKeys(item: ReferenceItem): StoredReferenceRecord {
  const { execution_id: _id, sk: _sk, expires_at: _expires, overflow_chunks: _chunks, ...record } = item;
  return record;
}

/** The items of one record: itself, or a filterable head and the chunks of its JSON. */
function recordItems(
  executionId: string,
  sk: string,
  record: StoredReferenceRecord,
  expiresAt: number,
): { head: ReferenceItem; chunks: Record<string, unknown>[] } {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  if (json.length <= INLINE_RECORD_BYTES) return { head: { ...record, execution_id: executionId, sk, expires_at: expiresAt }, chunks: [] };
  const chunks = splitIntoChunks(json).map((data, index) => ({
    execution_id: executionId,
    sk: overflowKey(sk, index),
    data,
    expires_at: expiresAt,
  }));
  const head = {
    execution_id: executionId,
    sk,
    expires_at: expiresAt,
    overflow_chunks: chunks.length,
    step_index: record.step_index,
    resolution_status: record.resolution_status,
    created_at: record.created_at,
    ...(Buffer.byteLength(record.variable_name, 'utf8') <= FILTERABLE_NAME_BYTES ? { variable_name: record.variable_name } : {}),
    ...(Buffer.byteLength(record.original_expression, 'utf8') <= FILTERABLE_NAME_BYTES
      ? { original_expression: record.original_expression }
      : {}),
  } as ReferenceItem;
  return { head, chunks };
}

export class DynamoReferenceLog implements ReferenceLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly breaker: DatabaseBreaker,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
    private readonly generations: ExecutionGenerations,
  ) {}

  async append(executionId: string, records: StoredReferenceRecord[]): Promise<void> {
    if (records.length === 0) return;
    const batchId = newBatchId();
    const expiresAt = Math.floor(Date.now() / 1000) + this.retentionSeconds;
    // Writers follow the variables' generation (generations.ts); this route may not read lineage.
    const partition = await this.generations.variablesPartition(executionId);
    const items = records.map((record, position) =>
      recordItems(partition, recordKey(record.step_index, batchId, position), record, expiresAt),
    );
    const put = (item: object) => ({ PutRequest: { Item: item } });
    // Overflow chunks first: a record becomes visible only with its head, and then it is whole.
    const chunks = items.flatMap((item) => item.chunks);
    if (chunks.length > 0) await batchWrite(this.client, this.breaker, this.tableName, chunks.map(put));
    await batchWrite(
      this.client,
      this.breaker,
      this.tableName,
      items.map((item) => put(item.head)),
    );
  }

  /** Records whose JSON overflowed are read back from their chunks. */
  private async complete(partition: string, items: ReferenceItem[]): Promise<StoredReferenceRecord[]> {
    return Promise.all(
      items.map(async (item) => {
        if (item.overflow_chunks === undefined) return stripKeys(item);
        const json = await readChunks(
          this.client,
          this.breaker,
          this.tableName,
          partition,
          overflowPrefix(item.sk),
          item.overflow_chunks,
          `lineage record ${item.sk}`,
        );
        return JSON.parse(json) as StoredReferenceRecord;
      }),
    );
  }

  async page(executionId: string, filter: ReferenceFilter, limit: number, cursor: string | undefined): Promise<ReferencePage> {
    const prefix = filter.stepIndex === undefined ? RECORD_PREFIX : stepPrefix(filter.stepIndex);
    const partition = await this.generations.lineagePartition(executionId);
    const values: Record<string, unknown> = { ':id': partition, ':prefix': prefix };
    const keyCondition = 'execution_id = :id AND begins_with(sk, :prefix)';
    const filters: string[] = [];
    if (filter.status) {
      filters.push('resolution_status = :status');
      values[':status'] = filter.status;
    }
    if (filter.variableName) {
      filters.push('variable_name = :name');
      values[':name'] = filter.variableName;
    }
    const startKey = cursor ? startKeyOf(cursor, executionId, prefix, partition) : undefined;
    // One record more than asked for tells whether another page exists, so the last page has no cursor.
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: keyCondition,
      FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
      ExpressionAttributeValues: values,
    };
    const found = await this.collect(query, startKey, limit + 1);
    const candidates = found.slice(0, limit);
    // A page also ends after 4 MiB of records (always at least one): a record's path and
    // expression are not capped, so 1,000 records of long paths would otherwise be an answer of
    // hundreds of MiB. Overflowing records are read one at a time, so memory stays near the budget.
    const records: StoredReferenceRecord[] = [];
    let bytes = 0;
    for (const item of candidates) {
      const [record] = item.overflow_chunks === undefined ? [stripKeys(item)] : await this.complete(partition, [item]);
      // Counted, not serialised: the page is answered as JSON once, by the handler.
      const size = jsonBytesUpTo(record as unknown as JsonValue, PAGE_BUDGET_BYTES + 1);
      if (records.length > 0 && bytes + size > PAGE_BUDGET_BYTES) break;
      bytes += size;
      records.push(record);
    }
    const more = records.length < candidates.length || found.length > limit;
    const nextCursor = more ? encodeCursor(executionId, [candidates[records.length - 1].sk]) : null;
    return { records, nextCursor };
  }

  /** Reads until `wanted` items pass the filter or the partition ends (a filter applies after DynamoDB's Limit). */
  private async collect(query: QueryCommandInput, startKey: Record<string, unknown> | undefined, wanted: number): Promise<ReferenceItem[]> {
    const found: ReferenceItem[] = [];
    let exclusiveStartKey = startKey;
    do {
      const result = await this.breaker.run(() =>
        this.client.send(new QueryCommand({ ...query, ExclusiveStartKey: exclusiveStartKey, Limit: wanted - found.length })),
      );
      found.push(...((result.Items ?? []) as ReferenceItem[]));
      exclusiveStartKey = result.LastEvaluatedKey;
    } while (exclusiveStartKey && found.length < wanted);
    return found;
  }

  async tallies(executionId: string): Promise<ReferenceTally[]> {
    const partition = await this.generations.lineagePartition(executionId);
    const items = await queryAll<ReferenceItem>(this.client, this.breaker, {
      TableName: this.tableName,
      KeyConditionExpression: 'execution_id = :id AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':id': partition, ':prefix': RECORD_PREFIX },
      ProjectionExpression: TALLY_FIELDS.map((_, i) => `#f${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(TALLY_FIELDS.map((field, i) => [`#f${i}`, field])),
    });
    // An overflowed record whose expression was too long for its head is read whole (rare).
    const incomplete = items.filter((item) => item.overflow_chunks !== undefined && item.original_expression === undefined);
    const completed = new Map((await this.complete(partition, incomplete)).map((record, i) => [incomplete[i], record]));
    return items.map((item) => {
      const record = completed.get(item) ?? item;
      return {
        step_index: record.step_index,
        variable_name: record.variable_name ?? '',
        resolution_status: record.resolution_status,
        original_expression: record.original_expression,
        created_at: record.created_at,
      };
    });
  }
}

import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { ApiError } from '#domain/errors';
import type { DatabaseGuard } from '#adapters/dynamo/database-guard';
import { batchWrite, deleteAllItems, queryAll } from '#adapters/dynamo/partition';
import type { ReferenceFilter, ReferenceLog, ReferencePage, StoredReferenceRecord } from '#services/ports';

const newBatchId = monotonicFactory();
const STEP_DIGITS = 6;

/** Sort key: zero-padded step, then a time-ordered id of the resolve call, then document order. */
const stepPrefix = (step: number): string => `S#${String(step).padStart(STEP_DIGITS, '0')}#`;
const recordKey = (step: number, batchId: string, position: number): string => `${stepPrefix(step)}${batchId}#${String(position).padStart(4, '0')}`;

interface ReferenceItem extends StoredReferenceRecord {
  execution_id: string;
  sk: string;
  expires_at: number;
}

function encodeCursor(sk: string): string {
  return Buffer.from(JSON.stringify({ sk }), 'utf8').toString('base64url');
}

/** A cursor must point inside the range being read (e.g. the filtered step), or DynamoDB would reject the query. */
function decodeCursor(cursor: string, executionId: string, requiredPrefix: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { sk?: unknown };
    if (typeof parsed.sk === 'string' && parsed.sk.startsWith(requiredPrefix)) return { execution_id: executionId, sk: parsed.sk };
  } catch {
    // fall through to the one error below
  }
  throw new ApiError('INVALID_REQUEST', `Invalid cursor '${cursor}'`, { field: 'cursor' });
}

function stripKeys(item: ReferenceItem): StoredReferenceRecord {
  const { execution_id: _id, sk: _sk, expires_at: _expires, ...record } = item;
  return record;
}

export class DynamoReferenceLog implements ReferenceLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly guard: DatabaseGuard,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
  ) {}

  async append(executionId: string, records: StoredReferenceRecord[]): Promise<void> {
    if (records.length === 0) return;
    const batchId = newBatchId();
    const expiresAt = Math.floor(Date.now() / 1000) + this.retentionSeconds;
    const puts = records.map((record, position) => ({
      PutRequest: { Item: { ...record, execution_id: executionId, sk: recordKey(record.step_index, batchId, position), expires_at: expiresAt } },
    }));
    await batchWrite(this.client, this.guard, this.tableName, puts);
  }

  async page(executionId: string, filter: ReferenceFilter, limit: number, cursor: string | undefined): Promise<ReferencePage> {
    const values: Record<string, unknown> = { ':id': executionId };
    let keyCondition = 'execution_id = :id';
    if (filter.stepIndex !== undefined) {
      keyCondition += ' AND begins_with(sk, :step)';
      values[':step'] = stepPrefix(filter.stepIndex);
    }
    const filters: string[] = [];
    if (filter.status) {
      filters.push('resolution_status = :status');
      values[':status'] = filter.status;
    }
    if (filter.variableName) {
      filters.push('variable_name = :name');
      values[':name'] = filter.variableName;
    }
    const startKey = cursor ? decodeCursor(cursor, executionId, filter.stepIndex === undefined ? 'S#' : stepPrefix(filter.stepIndex)) : undefined;
    // One record more than asked for tells whether another page exists, so the last page has no cursor.
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: keyCondition,
      FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
      ExpressionAttributeValues: values,
    };
    const found = await this.collect(query, startKey, limit + 1);
    const records = found.slice(0, limit).map(stripKeys);
    const nextCursor = found.length > limit ? encodeCursor(found[limit - 1].sk) : null;
    return { records, nextCursor };
  }

  /** Reads until `wanted` items pass the filter or the partition ends (a filter applies after DynamoDB's Limit). */
  private async collect(query: QueryCommandInput, startKey: Record<string, unknown> | undefined, wanted: number): Promise<ReferenceItem[]> {
    const found: ReferenceItem[] = [];
    let exclusiveStartKey = startKey;
    do {
      const result = await this.guard.run(() =>
        this.client.send(new QueryCommand({ ...query, ExclusiveStartKey: exclusiveStartKey, Limit: wanted - found.length })),
      );
      found.push(...((result.Items ?? []) as ReferenceItem[]));
      exclusiveStartKey = result.LastEvaluatedKey;
    } while (exclusiveStartKey && found.length < wanted);
    return found;
  }

  async all(executionId: string): Promise<StoredReferenceRecord[]> {
    const items = await queryAll<ReferenceItem>(this.client, this.guard, {
      TableName: this.tableName,
      KeyConditionExpression: 'execution_id = :id',
      ExpressionAttributeValues: { ':id': executionId },
    });
    return items.map(stripKeys);
  }

  async deleteExecution(executionId: string): Promise<void> {
    await deleteAllItems(this.client, this.guard, this.tableName, executionId, () => true);
  }
}

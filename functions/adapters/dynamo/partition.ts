import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { handleWhen, retry, ExponentialBackoff } from 'cockatiel';
import type { DatabaseGuard } from '#adapters/dynamo/database-guard';

const BATCH_SIZE = 25;

class UnprocessedItemsError extends Error {
  constructor(readonly remaining: Record<string, unknown>[]) {
    super('BatchWriteItem left unprocessed items');
  }
}

/** BatchWriteItem may hand back items it did not process under load; they are resubmitted with backoff. */
const resubmitUnprocessed = retry(handleWhen((error) => error instanceof UnprocessedItemsError), {
  maxAttempts: 5,
  backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1000 }),
});

/** Reads every page of a query. */
export async function queryAll<T>(client: DynamoDBDocumentClient, guard: DatabaseGuard, input: QueryCommandInput): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await guard.run(() => client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })));
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * Reassembles a value stored as chunk items (`data` attributes) under one sort-key prefix, read
 * consistently and across query pages (1 MiB spans several); fails when any chunk is missing.
 */
export async function readChunks(
  client: DynamoDBDocumentClient, guard: DatabaseGuard, tableName: string, executionId: string, prefix: string, expected: number, what: string,
): Promise<string> {
  const chunks = await queryAll<{ data: Uint8Array }>(client, guard, {
    TableName: tableName,
    KeyConditionExpression: 'execution_id = :id AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':id': executionId, ':prefix': prefix },
    ConsistentRead: true,
  });
  if (chunks.length !== expected) throw new Error(`${what} is incomplete (${chunks.length}/${expected} chunks)`);
  return Buffer.concat(chunks.map((chunk) => Buffer.from(chunk.data))).toString('utf8');
}

/** Writes requests (puts or deletes) in batches of 25. */
export async function batchWrite(client: DynamoDBDocumentClient, guard: DatabaseGuard, tableName: string, requests: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));
  await Promise.all(
    batches.map(async (batch) => {
      let pending = batch;
      await resubmitUnprocessed.execute(async () => {
        const result = await guard.run(() => client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })));
        const unprocessed = (result.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
        if (unprocessed.length > 0) {
          pending = unprocessed;
          throw new UnprocessedItemsError(unprocessed);
        }
      });
    }),
  );
}

/** Deletes every item of one partition whose sort key passes `keep`'s opposite. */
export async function deleteAllItems(
  client: DynamoDBDocumentClient, guard: DatabaseGuard, tableName: string, executionId: string, shouldDelete: (sk: string) => boolean,
): Promise<void> {
  const keys = await queryAll<{ sk: string }>(client, guard, {
    TableName: tableName,
    KeyConditionExpression: 'execution_id = :id',
    ExpressionAttributeValues: { ':id': executionId },
    ProjectionExpression: 'sk',
    ConsistentRead: true,
  });
  const deletes = keys.filter(({ sk }) => shouldDelete(sk)).map(({ sk }) => ({ DeleteRequest: { Key: { execution_id: executionId, sk } } }));
  await batchWrite(client, guard, tableName, deletes);
}

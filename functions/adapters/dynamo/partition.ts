import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { bulkhead, handleWhen, retry, ExponentialBackoff } from 'cockatiel';
import type { DatabaseBreaker } from '#adapters/dynamo/database-breaker';

const BATCH_SIZE = 25;

class UnprocessedItemsError extends Error {
  constructor(readonly remaining: Record<string, unknown>[]) {
    super('BatchWriteItem left unprocessed items');
  }
}

/** BatchWriteItem may hand back items it did not process under load; they are resubmitted with backoff. */
const resubmitUnprocessed = retry(
  handleWhen((error) => error instanceof UnprocessedItemsError),
  {
    maxAttempts: 5,
    backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1000 }),
  },
);

/** Reads every page of a query. */
export async function queryAll<T>(client: DynamoDBDocumentClient, breaker: DatabaseBreaker, input: QueryCommandInput): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await breaker.run(() => client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })));
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
  client: DynamoDBDocumentClient,
  breaker: DatabaseBreaker,
  tableName: string,
  executionId: string,
  prefix: string,
  expected: number,
  what: string,
): Promise<string> {
  const chunks = await queryAll<{ data: Uint8Array }>(client, breaker, {
    TableName: tableName,
    KeyConditionExpression: 'execution_id = :id AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':id': executionId, ':prefix': prefix },
    ConsistentRead: true,
  });
  if (chunks.length !== expected) throw new Error(`${what} is incomplete (${chunks.length}/${expected} chunks)`);
  return Buffer.concat(chunks.map((chunk) => Buffer.from(chunk.data))).toString('utf8');
}

/**
 * BatchWrites one call keeps in flight (DATABASE_CALLS_PER_REQUEST): a large write must leave the database's
 * capacity to other requests.
 */
const BATCHES_IN_FLIGHT = 8;

/** Writes requests (puts or deletes) in batches of 25, at most `inFlight` batches at once. */
export async function batchWrite(
  client: DynamoDBDocumentClient,
  breaker: DatabaseBreaker,
  tableName: string,
  requests: Record<string, unknown>[],
  inFlight = BATCHES_IN_FLIGHT,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));
  const lanes = bulkhead(inFlight, batches.length);
  await Promise.all(
    batches.map((batch) =>
      lanes.execute(async () => {
        let pending = batch;
        await resubmitUnprocessed.execute(async () => {
          const result = await breaker.run(() => client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })));
          const unprocessed = (result.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
          if (unprocessed.length > 0) {
            pending = unprocessed;
            throw new UnprocessedItemsError(unprocessed);
          }
        });
      }),
    ),
  );
}

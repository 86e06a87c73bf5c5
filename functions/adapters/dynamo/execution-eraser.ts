import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DatabaseBreaker } from '#adapters/dynamo/database-breaker';
import { DATA_VERSION_KEY } from '#adapters/dynamo/item-codec';
import { LINEAGE_GENERATION_KEY, partitionOf, type ExecutionGenerations } from '#adapters/dynamo/generations';
import { batchWrite } from '#adapters/dynamo/partition';
import type { ExecutionEraser, RetiredExecution } from '#services/ports';

/** Keys read per step of a purge: one query page, deleted before the next is read. */
const KEYS_PER_STEP = 250;
/** BatchWrites a purge keeps in flight (of 25 deletes each): a purge never takes more of the database than this. */
const PURGE_BATCHES_IN_FLIGHT = 2;

/**
 * Deletes an execution by generations (generations.ts): `retire` makes it empty for every reader
 * at once; `purge` then deletes the retired partitions in bounded steps (a page of keys, deleted
 * two BatchWrites at a time) until its deadline, and can be called again to go on: each step
 * starts from whatever is left, so it needs no cursor and survives restarts.
 * The base partition (generation 0) also holds the version item and the lineage generation copy:
 * those are kept.
 */
export class DynamoExecutionEraser implements ExecutionEraser {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly breaker: DatabaseBreaker,
    private readonly generations: ExecutionGenerations,
    private readonly variablesTable: string,
    private readonly referencesTable: string,
  ) {}

  retire(executionId: string): Promise<RetiredExecution> {
    return this.generations.retire(executionId);
  }

  pending(): Promise<RetiredExecution[]> {
    return this.generations.pending();
  }

  async purge(retired: RetiredExecution, deadline: number): Promise<boolean> {
    for (const generation of retired.generations) {
      const partition = partitionOf(retired.executionId, generation);
      if (!(await this.purgePartition(this.variablesTable, partition, DATA_VERSION_KEY, deadline))) return false;
      if (!(await this.purgePartition(this.referencesTable, partition, LINEAGE_GENERATION_KEY, deadline))) return false;
      await this.generations.purged(retired.executionId, generation);
    }
    return true;
  }

  /** True when the partition holds nothing but `kept`. */
  private async purgePartition(table: string, partition: string, kept: string, deadline: number): Promise<boolean> {
    let startKey: Record<string, unknown> | undefined;
    do {
      if (Date.now() >= deadline) return false;
      const page = await this.breaker.run(() =>
        this.client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'execution_id = :partition',
            ExpressionAttributeValues: { ':partition': partition },
            ProjectionExpression: 'sk',
            Limit: KEYS_PER_STEP,
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      const deletes = (page.Items ?? [])
        .filter(({ sk }) => sk !== kept)
        .map(({ sk }) => ({ DeleteRequest: { Key: { execution_id: partition, sk } } }));
      await batchWrite(this.client, this.breaker, table, deletes, PURGE_BATCHES_IN_FLIGHT);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return true;
  }
}

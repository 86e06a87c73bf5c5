import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handleWhen, retry, ConstantBackoff } from 'cockatiel';
import { monotonicFactory } from 'ulid';
import { pooledRandom } from '#adapters/dynamo/pooled-random';
import { budgetSignal } from '#config/request-scope';
import type { DatabaseBreaker } from '#adapters/dynamo/database-breaker';
import { DATA_VERSION_KEY } from '#adapters/dynamo/item-codec';
import type { RetiredExecution } from '#services/ports';

const newRev = monotonicFactory(pooledRandom);

/** In the references table's base partition: the generation lineage readers use (they may not read the variables table). */
export const LINEAGE_GENERATION_KEY = '#GENERATION';

/**
 * Generations make an execution's DELETE instant at any size (API.md §5) without a transaction:
 *
 *   variables  `<id>` / `#DATA_VERSION`   {rev, generation, purge_pending: {retired generations}}
 *   references `<id>` / `#GENERATION`     {generation}   (a copy for routes that read lineage only)
 *   both tables: generation g's items live in partition `<id>` (g = 0) or `<id>#<g>` (g > 0);
 *   '#' is not allowed in execution ids, so no execution's partition is another's.
 *
 * DELETE moves the execution to a new, empty generation in one conditional update of its version
 * item (which also moves `rev` on, so no cache entry of the old data is used again) and then
 * the lineage copy. From then on every read and write goes to the new partition: the old one is
 * invisible at once, a later write lands where the purge never looks, and the purge deletes the
 * retired partitions whole, at its own pace, crossing each one off `purge_pending` when done.
 *
 * Within one request the generation is read once per execution (remembered under the request's
 * budget signal): readers get it with the data version they read anyway, so reads cost nothing more.
 */
export function partitionOf(executionId: string, generation: number): string {
  return generation === 0 ? executionId : `${executionId}#${generation}`;
}

type Kind = 'variables' | 'lineage';
const perRequest = new WeakMap<AbortSignal, Map<string, Promise<number>>>();

function remembered(kind: Kind, executionId: string, read: () => Promise<number>): Promise<number> {
  const signal = budgetSignal();
  if (!signal) return read();
  let known = perRequest.get(signal);
  if (!known) perRequest.set(signal, (known = new Map()));
  const key = `${kind}:${executionId}`;
  let generation = known.get(key);
  if (!generation) {
    generation = read();
    known.set(key, generation);
    generation.catch(() => known.delete(key));
  }
  return generation;
}

function remember(kind: Kind, executionId: string, generation: number): void {
  const signal = budgetSignal();
  if (!signal) return;
  let known = perRequest.get(signal);
  if (!known) perRequest.set(signal, (known = new Map()));
  known.set(`${kind}:${executionId}`, Promise.resolve(generation));
}

const isConditionRefused = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';

/** Two deletes of one execution at once: the later one reads again and retires what is current then. */
const untilUncontended = retry(handleWhen(isConditionRefused), { maxAttempts: 5, backoff: new ConstantBackoff(20) });

export class ExecutionGenerations {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly guard: DatabaseBreaker,
    private readonly variablesTable: string,
    private readonly referencesTable: string,
    private readonly retentionSeconds: number,
  ) {}

  /** The version item (data version and generation), read consistently; the generation is remembered for the request. */
  async readVersionItem(executionId: string): Promise<{ rev: string | null; generation: number }> {
    const { Item } = await this.guard.run(() =>
      this.client.send(
        new GetCommand({ TableName: this.variablesTable, Key: { execution_id: executionId, sk: DATA_VERSION_KEY }, ConsistentRead: true }),
      ),
    );
    const generation = Number(Item?.generation ?? 0);
    remember('variables', executionId, generation);
    return { rev: (Item?.rev as string | undefined) ?? null, generation };
  }

  /** Where the execution's variables (and, for writers, its lineage) live now. */
  async variablesPartition(executionId: string): Promise<string> {
    const generation = await remembered('variables', executionId, async () => (await this.readVersionItem(executionId)).generation);
    return partitionOf(executionId, generation);
  }

  /** Where lineage readers find the execution's records (from the references table alone). */
  async lineagePartition(executionId: string): Promise<string> {
    const generation = await remembered('lineage', executionId, async () => {
      const { Item } = await this.guard.run(() =>
        this.client.send(
          new GetCommand({
            TableName: this.referencesTable,
            Key: { execution_id: executionId, sk: LINEAGE_GENERATION_KEY },
            ConsistentRead: true,
          }),
        ),
      );
      return Number(Item?.generation ?? 0);
    });
    return partitionOf(executionId, generation);
  }

  /** Moves the execution to a fresh, empty generation; returns every generation left to purge (this one's predecessor included). */
  async retire(executionId: string): Promise<RetiredExecution> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.retentionSeconds;
    const { generation, pending } = await untilUncontended.execute(async () => {
      const current = (await this.readVersionItem(executionId)).generation;
      const { Attributes } = await this.guard.run(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.variablesTable,
            Key: { execution_id: executionId, sk: DATA_VERSION_KEY },
            UpdateExpression: 'SET #rev = :rev, #expires = :expires, #generation = :next ADD #pending :retired',
            ConditionExpression: current === 0 ? 'attribute_not_exists(#generation) OR #generation = :current' : '#generation = :current',
            ExpressionAttributeNames: { '#rev': 'rev', '#expires': 'expires_at', '#generation': 'generation', '#pending': 'purge_pending' },
            ExpressionAttributeValues: {
              ':rev': newRev(),
              ':expires': expiresAt,
              ':next': current + 1,
              ':current': current,
              ':retired': new Set([current]),
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return { generation: current + 1, pending: [...((Attributes?.purge_pending as Set<number> | undefined) ?? [])].map(Number) };
    });
    remember('variables', executionId, generation);
    try {
      await this.guard.run(() =>
        this.client.send(
          new PutCommand({
            TableName: this.referencesTable,
            Item: { execution_id: executionId, sk: LINEAGE_GENERATION_KEY, generation, expires_at: expiresAt },
            // A slower concurrent delete never moves lineage readers back to a generation being purged.
            ConditionExpression: 'attribute_not_exists(#generation) OR #generation < :generation',
            ExpressionAttributeNames: { '#generation': 'generation' },
            ExpressionAttributeValues: { ':generation': generation },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionRefused(error)) throw error;
    }
    remember('lineage', executionId, generation);
    return { executionId, generations: pending.sort((a, b) => a - b) };
  }

  /** A retired generation is gone: crossed off the list a restarted purge resumes from. */
  async purged(executionId: string, generation: number): Promise<void> {
    try {
      await this.guard.run(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.variablesTable,
            Key: { execution_id: executionId, sk: DATA_VERSION_KEY },
            UpdateExpression: 'DELETE #pending :done',
            ConditionExpression: 'attribute_exists(#pending)',
            ExpressionAttributeNames: { '#pending': 'purge_pending' },
            ExpressionAttributeValues: { ':done': new Set([generation]) },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionRefused(error)) throw error;
    }
  }

  /** Every execution with retired generations still to purge (a scan: for resuming the local purge after a restart, not for a request). */
  async pending(): Promise<RetiredExecution[]> {
    const found: RetiredExecution[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.guard.run(() =>
        this.client.send(
          new ScanCommand({
            TableName: this.variablesTable,
            FilterExpression: 'attribute_exists(#pending)',
            ProjectionExpression: 'execution_id, #pending',
            ExpressionAttributeNames: { '#pending': 'purge_pending' },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        found.push({
          executionId: item.execution_id as string,
          generations: [...(item.purge_pending as Set<number>)].map(Number).sort((a, b) => a - b),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }
}

import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bulkhead, handleWhen, retry, ConstantBackoff } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { monotonicFactory } from 'ulid';
import { pooledRandom } from '#adapters/dynamo/pooled-random';
import { budgetSignal } from '#services/request-budget-signal';
import { type DatabaseBreaker, isConditionRefused } from '#adapters/dynamo/database-breaker';
import { DATA_VERSION_KEY } from '#adapters/dynamo/item-codec';
import { batchWrite } from '#adapters/dynamo/partition';
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
 *
 * Writers (a PUT, a batch) do not read it first: they write into the generation this instance
 * last saw (`writerPartition`) and the data-version bump that every write ends with is conditional
 * on that generation (`unverifiedGeneration`). Refused, the execution was deleted meanwhile (by any
 * instance): `settleMoved` reads the generation, removes what was written into the retired
 * partition and writes it again into the current one, so a write after a DELETE always lands in
 * the new generation, and no reader ever looks into a retired partition. (Should the process die
 * in between, what it wrote stays, invisible, in the retired partition until its `expires_at`.)
 *
 * The request's record of unverified writes lives until the bump confirms it: a batch's lanes
 * still in flight when one lane found the execution moved may land in the retired partition
 * after the settling. Each write records the partition it went to, and `strayWrites` before the
 * bump redoes every one that is not in the generation the bump is conditional on, so a write is
 * acknowledged only once it is in the generation the bump confirmed.
 */
export function partitionOf(executionId: string, generation: number): string {
  return generation === 0 ? executionId : `${executionId}#${generation}`;
}

type Kind = 'variables' | 'lineage';

/** What a request remembers of one execution's generation: the read (or value) in hand, and the highest seen. */
interface Remembered {
  generation: Promise<number>;
  /** Set once a value is known; generations only grow, so a lower one read later never replaces it. */
  highest?: number;
}

const perRequest = new WeakMap<AbortSignal, Map<string, Remembered>>();

/** The current request's memory of generations; undefined outside a request. */
function requestMemory(): Map<string, Remembered> | undefined {
  const signal = budgetSignal();
  if (!signal) return undefined;
  let memory = perRequest.get(signal);
  if (!memory) perRequest.set(signal, (memory = new Map()));
  return memory;
}

/** A write into a generation not yet confirmed in this request: where it went and how to make it again. */
interface UnverifiedWrite {
  partition: string;
  /** The items it wrote there (head and chunks). */
  keys: string[];
  /** Writes it again (into the generation current by then) and updates the answer already handed back. */
  again: () => Promise<void>;
}

interface Unverified {
  generation: number;
  writes: UnverifiedWrite[];
}

/** Per request and execution: the generation writers assumed, until the bump confirms it. */
const unverifiedPerRequest = new WeakMap<AbortSignal, Map<string, Unverified>>();

/** How many executions' generations an instance keeps for its writers (about 100 bytes each). */
const KNOWN_GENERATIONS = 10_000;
/** Writes made again at once after a refused bump (a batch has up to 100). */
const REWRITE_LANES = 8;

function unverifiedOf(executionId: string): Unverified | undefined {
  const signal = budgetSignal();
  return signal ? unverifiedPerRequest.get(signal)?.get(executionId) : undefined;
}

function remembered(kind: Kind, executionId: string, read: () => Promise<number>): Promise<number> {
  const memory = requestMemory();
  if (!memory) return read();
  const key = `${kind}:${executionId}`;
  const known = memory.get(key);
  if (known) return known.generation;
  const generation = read();
  memory.set(key, { generation });
  generation.catch(() => {
    if (memory.get(key)?.generation === generation) memory.delete(key);
  });
  return generation;
}

/**
 * Remembers a generation for the request, never moving back: generations only grow, so of two
 * reads that answer out of order the later-issued, higher one is the truth. Returns what is
 * remembered now.
 */
function remember(kind: Kind, executionId: string, generation: number): number {
  const memory = requestMemory();
  if (!memory) return generation;
  const key = `${kind}:${executionId}`;
  const highest = Math.max(memory.get(key)?.highest ?? generation, generation);
  memory.set(key, { generation: Promise.resolve(highest), highest });
  return highest;
}

/** Two deletes of one execution at once (or a generation this instance saw before another's delete): read again, retire what is current. */
const untilUncontended = retry(handleWhen(isConditionRefused), { maxAttempts: 6, backoff: new ConstantBackoff(20) });

export class ExecutionGenerations {
  /** The generation this instance last saw per execution (read, or moved on by its own DELETE). */
  private readonly known = new LRUCache<string, number>({ max: KNOWN_GENERATIONS });

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly breaker: DatabaseBreaker,
    private readonly variablesTable: string,
    private readonly referencesTable: string,
    private readonly retentionSeconds: number,
  ) {}

  /** The version item (data version and generation), read consistently; the generation is remembered for the request. */
  async readVersionItem(executionId: string): Promise<{ rev: string | null; generation: number }> {
    const { rev, generation } = await this.readAndRemember(executionId);
    return { rev, generation };
  }

  /** readVersionItem, and what the request remembers afterwards (the read, or a higher generation seen already). */
  private async readAndRemember(executionId: string): Promise<{ rev: string | null; generation: number; remembered: number }> {
    const { Item } = await this.breaker.run(() =>
      this.client.send(
        new GetCommand({ TableName: this.variablesTable, Key: { execution_id: executionId, sk: DATA_VERSION_KEY }, ConsistentRead: true }),
      ),
    );
    const generation = Number(Item?.generation ?? 0);
    const remembered = remember('variables', executionId, generation);
    this.learned(executionId, generation);
    return { rev: (Item?.rev as string | undefined) ?? null, generation, remembered };
  }

  /** The instance's memory of a generation only moves forward (a slow read's answer never takes it back). */
  private learned(executionId: string, generation: number): void {
    this.known.set(executionId, Math.max(this.known.get(executionId) ?? generation, generation));
  }

  /** For writers: the current generation as far as this request knows, a consistent read or a higher one seen already. */
  private async latestGeneration(executionId: string): Promise<number> {
    return (await this.readAndRemember(executionId)).remembered;
  }

  /**
   * Where a writer writes: the generation already read in this request, else
   * the one this instance last saw — unverified, so the bump must confirm it — else a read.
   */
  async writerPartition(executionId: string): Promise<string> {
    // While the request has unverified writes, every write goes where the bump's condition is (so none strays later).
    const unverifiedWrites = unverifiedOf(executionId);
    if (unverifiedWrites) return partitionOf(executionId, unverifiedWrites.generation);
    const signal = budgetSignal();
    const assumed = signal ? this.known.get(executionId) : undefined;
    if (!signal || assumed === undefined || requestMemory()?.has(`variables:${executionId}`)) {
      return this.variablesPartition(executionId);
    }
    let unverified = unverifiedPerRequest.get(signal);
    if (!unverified) unverifiedPerRequest.set(signal, (unverified = new Map()));
    unverified.set(executionId, { generation: assumed, writes: [] });
    remember('variables', executionId, assumed);
    return partitionOf(executionId, assumed);
  }

  /** Records a write into an unverified generation (nothing when the generation was read in this request). */
  wroteUnverified(executionId: string, write: UnverifiedWrite): void {
    unverifiedOf(executionId)?.writes.push(write);
  }

  /** The generation this request's writes assumed without reading it, if any: the bump's condition. */
  unverifiedGeneration(executionId: string): number | undefined {
    return unverifiedOf(executionId)?.generation;
  }

  /** The bump confirmed the assumed generation. */
  verified(executionId: string): void {
    const signal = budgetSignal();
    if (signal) unverifiedPerRequest.get(signal)?.delete(executionId);
  }

  /**
   * The bump was refused: the execution has moved to a newer generation since this instance last
   * looked. Reads the current one, which the bump is then conditional on, and makes every write
   * that went elsewhere again there.
   */
  async settleMoved(executionId: string): Promise<void> {
    await this.settleInto(executionId, await this.latestGeneration(executionId));
  }

  /**
   * A head write into `partition` was refused: whether that partition has been retired meanwhile
   * (a consistent read, or a newer generation another lane of the request saw). If the execution
   * has moved on, the request's unverified writes are settled into the current generation (as
   * settleMoved, on the same read) and the refused write belongs there too.
   */
  async movedOn(executionId: string, partition: string): Promise<boolean> {
    if (!unverifiedOf(executionId)) return false;
    const generation = await this.latestGeneration(executionId);
    await this.settleInto(executionId, generation);
    return partitionOf(executionId, generation) !== partition;
  }

  /**
   * Before the bump: writes of this request that landed outside the generation the bump assumes
   * (a lane that was in flight while another settled) are made again inside it.
   */
  async strayWrites(executionId: string): Promise<void> {
    const unverified = unverifiedOf(executionId);
    if (!unverified) return;
    // Again until a pass finds none: a rewrite refused on the way may settle into a newer generation while other rewrites
    // of the same pass are still landing in the one before. Each further pass needs another DELETE in between.
    while (await this.redoStrays(executionId, unverified)) {}
  }

  /** Deletes what writes left in partitions that turned out retired (their heads and chunks), in batches. */
  async discard(leftovers: { partition: string; keys: string[] }[]): Promise<void> {
    const requests = leftovers.flatMap(({ partition, keys }) =>
      keys.map((sk) => ({ DeleteRequest: { Key: { execution_id: partition, sk } } })),
    );
    await batchWrite(this.client, this.breaker, this.variablesTable, requests);
  }

  private async settleInto(executionId: string, generation: number): Promise<void> {
    const unverified = unverifiedOf(executionId);
    if (!unverified) return;
    // Generations only grow: a slower read of two concurrent settlings never moves the condition back.
    unverified.generation = Math.max(unverified.generation, generation);
    await this.redoStrays(executionId, unverified);
  }

  /**
   * Takes the writes outside the assumed generation off the record at once (so two settlings never
   * redo one write twice), deletes what they left in retired partitions (the purge may have passed
   * there already) and writes each again; `again` records the new write in the current partition.
   */
  private async redoStrays(executionId: string, unverified: Unverified): Promise<boolean> {
    const current = partitionOf(executionId, unverified.generation);
    const strays = unverified.writes.filter((write) => write.partition !== current);
    if (strays.length === 0) return false;
    unverified.writes = unverified.writes.filter((write) => write.partition === current);
    await this.discard(strays);
    const lanes = bulkhead(REWRITE_LANES, strays.length);
    await Promise.all(strays.map((write) => lanes.execute(() => write.again())));
    return true;
  }

  /** Where the execution's variables (and, for writers, its lineage) live now. */
  async variablesPartition(executionId: string): Promise<string> {
    const generation = await remembered('variables', executionId, async () => (await this.readVersionItem(executionId)).generation);
    return partitionOf(executionId, generation);
  }

  /** Where lineage readers find the execution's records (from the references table alone). */
  async lineagePartition(executionId: string): Promise<string> {
    const generation = await remembered('lineage', executionId, async () => {
      const { Item } = await this.breaker.run(() =>
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
    // The first attempt trusts the generation this instance last saw (the update is conditional on it); a refusal reads it.
    let lastSeen = this.known.get(executionId);
    const { generation, pending } = await untilUncontended.execute(async () => {
      const current = lastSeen ?? (await this.readVersionItem(executionId)).generation;
      lastSeen = undefined;
      const { Attributes } = await this.breaker.run(() =>
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
    this.learned(executionId, generation);
    try {
      await this.breaker.run(() =>
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
      await this.breaker.run(() =>
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
      const page = await this.breaker.run(() =>
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

import { DatabaseBreaker } from '#adapters/dynamo/database-breaker';
import { createDynamoClients } from '#adapters/dynamo/client';
import { DynamoVariableStore } from '#adapters/dynamo/variable-store';
import { DynamoReferenceLog } from '#adapters/dynamo/reference-log';
import { IdempotencyGate } from '#adapters/idempotency-gate';
import { MemoryCache } from '#adapters/cache/memory-cache';
import { RedisCache } from '#adapters/cache/redis-cache';
import { TieredCache } from '#adapters/cache/tiered-cache';
import { readSettings, type Settings } from '#config/settings';
import { logger, tracer } from '#observability/powertools';
import { signals } from '#observability/signals';
import { SnapshotReader } from '#services/snapshot-reader';
import type { ExecutionEraser, PurgeQueue, ReferenceLog, VariableStore } from '#services/ports';
import { VariableService } from '#services/variables';
import { ReferenceService } from '#services/references';
import { HintService } from '#services/hints';
import { ExecutionService } from '#services/executions';
import { ClientRateLimiter } from '#adapters/rate-limit';
import { ExecutionGenerations } from '#adapters/dynamo/generations';
import { DynamoExecutionEraser } from '#adapters/dynamo/execution-eraser';
import { InProcessPurgeQueue, SqsPurgeQueue } from '#adapters/purge-queue';
import { ConcurrencyLimit } from '#middleware/concurrency-limit';

/** Everything a handler uses, built once per execution environment (Lambda instance or local worker). */
export interface Dependencies {
  settings: Settings;
  variableStore: VariableStore;
  /** The lineage records (API.md §4), as stored. */
  lineageLog: ReferenceLog;
  snapshots: SnapshotReader;
  cache: TieredCache;
  databaseBreaker: DatabaseBreaker;
  idempotency: IdempotencyGate;
  variables: VariableService;
  /** Resolution, validation and lineage listing of references. */
  references: ReferenceService;
  hints: HintService;
  executions: ExecutionService;
  eraser: ExecutionEraser;
  /** Where unfinished execution purges go on: SQS in AWS (PURGE_QUEUE_URL), this process locally. */
  purges: PurgeQueue;
  /** This instance's limit on requests at once (API.md §8). */
  concurrency: ConcurrencyLimit;
  /** Requests per client per minute; undefined when RATE_LIMIT_PER_MINUTE is unset. */
  rateLimiter: ClientRateLimiter | undefined;
}

export function createDependencies(settings: Settings = readSettings()): Dependencies {
  const database = new DatabaseBreaker({
    onStateChange: (state) => signals.breakerStateChange('database', state),
    onThrottle: () => signals.databaseThrottle(),
  });
  const { client, documentClient } = createDynamoClients(settings, { onRetries: (count) => signals.databaseRetries(count) });
  tracer?.captureAWSv3Client(client);
  const retentionSeconds = settings.retentionDays * 86_400;
  const generations = new ExecutionGenerations(
    documentClient,
    database,
    settings.variablesTable,
    settings.referencesTable,
    retentionSeconds,
  );
  const store = new DynamoVariableStore(documentClient, database, settings.variablesTable, retentionSeconds, generations);
  const references = new DynamoReferenceLog(documentClient, database, settings.referencesTable, retentionSeconds, generations);
  const eraser = new DynamoExecutionEraser(documentClient, database, generations, settings.variablesTable, settings.referencesTable);
  const purges = settings.purgeQueueUrl
    ? new SqsPurgeQueue(settings.purgeQueueUrl, settings.region)
    : new InProcessPurgeQueue(eraser, (error) =>
        logger.warn('an execution purge step failed; it is tried again shortly', { error_name: (error as Error)?.name }),
      );
  const memory = new MemoryCache(settings.l1MaxBytes, { onEviction: () => signals.l1Eviction() });
  const redis = settings.redisUrl
    ? new RedisCache(settings.redisUrl, {
        onError: (operation) => signals.cacheError(operation),
        onStateChange: (state) => signals.breakerStateChange('cache', state),
      })
    : undefined;
  const cache = new TieredCache(memory, redis);
  const snapshots = new SnapshotReader(store, cache);
  return {
    settings,
    variableStore: store,
    lineageLog: references,
    snapshots,
    variables: new VariableService(store, snapshots),
    references: new ReferenceService(snapshots, references, signals),
    hints: new HintService(snapshots, cache, signals),
    executions: new ExecutionService(snapshots, references, eraser, purges),
    eraser,
    purges,
    cache,
    databaseBreaker: database,
    idempotency: new IdempotencyGate(client, settings.idempotencyTable, database),
    concurrency: new ConcurrencyLimit(settings.maxConcurrentRequests),
    rateLimiter: settings.rateLimitPerMinute ? new ClientRateLimiter(settings.rateLimitPerMinute, settings.redisUrl) : undefined,
  };
}

let current: Dependencies | undefined;

/** The composition root: handlers ask here; tests may put their own in place first. */
export function dependencies(): Dependencies {
  current ??= createDependencies();
  return current;
}

export function useDependencies(replacement: Dependencies | undefined): void {
  current = replacement;
}

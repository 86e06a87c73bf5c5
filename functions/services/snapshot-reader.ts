/**
 * Use case (shared by the others): reading an execution's variables coherently through the cache.
 * Primary course:
 *  1. read the execution's data epoch (one consistent read);
 *  2. serve the snapshot, a variable or a large payload cached under that epoch or revision;
 *  3. remember the newest snapshot seen, for degraded answers only.
 */
import { ExecutionSnapshot } from '#domain/execution-snapshot';
import { parseJson } from '#domain/ordered-json';
import { withPayload, type StoredVariable, type VariableHead, type VariablePayload } from '#domain/variable';
import type { SnapshotCache, VariableStore } from '#services/ports';

/** Values above this skip the in-process tier. */
const LARGE_VALUE_BYTES = 128 * 1024;
/** What a `latest:` alias (a key and a WeakRef) costs the in-process tier. */
const ALIAS_BYTES = 256;

/**
 * Reads an execution's variables through the cache, coherently on every instance: content is
 * cached under exactly the data epoch just read (this instance, then Redis, then the store). A
 * write advances the epoch after storing, so a read that starts after an acknowledged write never
 * uses an entry made before it, whatever Redis holds.
 */
export class SnapshotReader {
  constructor(
    private readonly store: VariableStore,
    private readonly cache: SnapshotCache,
  ) {}

  async snapshot(executionId: string): Promise<ExecutionSnapshot> {
    const epoch = await this.store.readDataEpoch(executionId);
    if (epoch === null) return ExecutionSnapshot.empty(executionId);
    const snapshot = await this.cache.getOrLoad(`snap:${executionId}:${epoch}`, {
      load: async () => new ExecutionSnapshot(executionId, epoch, await this.store.listHeads(executionId)),
      encode: (built) => built.encode(),
      decode: (encoded) => ExecutionSnapshot.decode(executionId, encoded),
      keepInMemory: true,
    });
    // A weak alias: it finds the snapshot while the epoch's entry keeps it alive, and never keeps
    // it alive itself, so the in-process tier's byte bound still counts every snapshot it holds.
    this.cache.keepLocally(`latest:${executionId}`, new WeakRef(snapshot), ALIAS_BYTES);
    return snapshot;
  }

  /**
   * The newest snapshot this instance has seen and still holds, whatever its epoch: for degraded answers only,
   * never for reads that promise freshness.
   */
  lastKnown(executionId: string): ExecutionSnapshot | undefined {
    return this.cache.peek<WeakRef<ExecutionSnapshot>>(`latest:${executionId}`)?.deref();
  }

  /** One variable with its value: from this instance's snapshot when it has the current one, else its own cache entry. */
  async variable(executionId: string, name: string): Promise<StoredVariable | undefined> {
    const epoch = await this.store.readDataEpoch(executionId);
    if (epoch === null) return undefined;
    const snapshot = this.cache.peek<ExecutionSnapshot>(`snap:${executionId}:${epoch}`);
    if (snapshot) {
      const head = snapshot.get(name);
      return head ? withPayload(head, await this.payload(executionId, head)) : undefined;
    }
    const found = await this.cache.getOrLoad<StoredVariable | null>(`var:${executionId}:${epoch}:${name}`, {
      load: async () => (await this.store.getVariable(executionId, name)) ?? null,
      encode: (variable) => JSON.stringify(variable),
      decode: (encoded) => parseJson(encoded) as StoredVariable | null,
      keepInMemory: true,
      maxMemoryBytes: LARGE_VALUE_BYTES,
    });
    return found ?? undefined;
  }

  /** Large payloads live in chunks; they are cached by their immutable revision, in Redis only. */
  async payload(executionId: string, head: VariableHead): Promise<VariablePayload> {
    if (head.payload) return head.payload;
    return this.cache.getOrLoad(`payload:${executionId}:${head.variable_name}:${head.payload_rev}`, {
      load: () => this.store.loadPayload(executionId, head),
      encode: (payload) => JSON.stringify(payload),
      decode: (encoded) => parseJson(encoded) as VariablePayload,
      keepInMemory: false,
    });
  }
}

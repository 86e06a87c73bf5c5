import type { MemoryCache } from '#adapters/cache/memory-cache';
import type { RedisCache } from '#adapters/cache/redis-cache';
import { signals } from '#observability/signals';
import { inSubsegment } from '#observability/powertools';
import type { CachedLoad, SnapshotCache } from '#services/ports';

/** In-process JS objects cost roughly twice their JSON text (UTF-16 plus object overhead). */
const estimateBytes = (encoded: string): number => encoded.length * 2 + 64;

/**
 * Read-through L1 → L2 → loader. Keys must name immutable content (they carry a data epoch or
 * a payload revision), so an entry is never invalidated and can never be stale.
 */
export class TieredCache implements SnapshotCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly memory: MemoryCache,
    private readonly redis: RedisCache | undefined,
  ) {}

  peek<T>(key: string): T | undefined {
    return this.memory.get<T>(key);
  }

  /** Keeps a text in this instance only, charged at its in-memory size (e.g. a rendered response). */
  keepTextLocally(key: string, text: string): void {
    this.memory.set(key, text, estimateBytes(text));
  }

  /** Keeps a reference in this instance only (e.g. the last snapshot seen, for degraded answers). */
  keepLocally(key: string, value: unknown, sizeBytes: number): void {
    this.memory.set(key, value, sizeBytes);
  }

  async getOrLoad<T>(key: string, spec: CachedLoad<T>): Promise<T> {
    if (spec.keepInMemory) {
      const local = this.memory.get<T>(key);
      if (local !== undefined) {
        signals.cacheHit('L1');
        return local;
      }
      signals.cacheMiss('L1');
    }
    // Concurrent requests for the same missing entry share one load instead of stampeding the database.
    const pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const loading = this.loadThroughRedis(key, spec).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, loading);
    return loading;
  }

  private async loadThroughRedis<T>(key: string, spec: CachedLoad<T>): Promise<T> {
    if (this.redis) {
      const shared = await inSubsegment('redis.get', () => this.redis!.get(key));
      if (shared !== undefined) {
        signals.cacheHit('L2');
        const value = spec.decode(shared);
        if (spec.keepInMemory) this.remember(key, value, shared, spec.maxMemoryBytes);
        return value;
      }
      signals.cacheMiss('L2');
    }
    const value = await spec.load();
    const encoded = this.redis || spec.keepInMemory ? spec.encode(value) : '';
    if (spec.keepInMemory) this.remember(key, value, encoded, spec.maxMemoryBytes);
    // Filling Redis is not on the answer's critical path; a failure only costs a later miss.
    if (this.redis) void this.redis.set(key, encoded);
    return value;
  }

  private remember(key: string, value: unknown, encoded: string, maxBytes = Infinity): void {
    const size = estimateBytes(encoded);
    if (size <= maxBytes) this.memory.set(key, value, size);
  }

  get memoryBytes(): number {
    return this.memory.bytes;
  }

  get redisState(): 'ok' | 'degraded' | 'down' | 'disabled' {
    return this.redis ? this.redis.state : 'disabled';
  }

  async pingRedis(): Promise<number | undefined> {
    return this.redis?.ping();
  }
}

import { LRUCache } from 'lru-cache';

export interface MemoryCacheHooks {
  onEviction(): void;
}

/**
 * L1: this instance's cache, bounded by bytes rather than entries, so a few huge executions cannot
 * push memory past the limit. Entries are immutable (keys carry a data epoch or a payload revision), so there is no TTL.
 */
export class MemoryCache {
  private readonly lru: LRUCache<string, { value: unknown; size: number }>;

  constructor(maxBytes: number, hooks: MemoryCacheHooks) {
    this.lru = new LRUCache({
      maxSize: maxBytes,
      sizeCalculation: (entry) => entry.size,
      dispose: (_entry, _key, reason) => {
        if (reason === 'evict') hooks.onEviction();
      },
    });
  }

  get<T>(key: string): T | undefined {
    return this.lru.get(key)?.value as T | undefined;
  }

  /** Entries bigger than the whole cache are simply not kept. */
  set(key: string, value: unknown, sizeBytes: number): void {
    if (sizeBytes <= 0 || sizeBytes > this.lru.maxSize) return;
    this.lru.set(key, { value, size: sizeBytes });
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get entries(): number {
    return this.lru.size;
  }
}

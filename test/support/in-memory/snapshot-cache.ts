import type { CachedLoad, SnapshotCache } from '#services/ports';

/**
 * The snapshot cache port in memory, with the two tiers the tiered cache has: this instance's
 * objects and a shared tier of encoded texts (Redis). `asAnotherInstance()` gives a cache that
 * shares the texts but not the objects, so an entry read there has gone through encode/decode.
 */
export class InMemorySnapshotCache implements SnapshotCache {
  readonly local = new Map<string, unknown>();
  readonly loads: string[] = [];
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(readonly shared: Map<string, string> = new Map()) {}

  asAnotherInstance(): InMemorySnapshotCache {
    return new InMemorySnapshotCache(this.shared);
  }

  peek<T>(key: string): T | undefined {
    return this.local.get(key) as T | undefined;
  }

  keepTextLocally(key: string, text: string): void {
    this.local.set(key, text);
  }

  keepLocally(key: string, value: unknown, _sizeBytes: number): void {
    this.local.set(key, value);
  }

  async getOrLoad<T>(key: string, spec: CachedLoad<T>): Promise<T> {
    if (spec.keepInMemory && this.local.has(key)) return this.local.get(key) as T;
    const pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const loading = this.load(key, spec).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, loading);
    return loading;
  }

  private async load<T>(key: string, spec: CachedLoad<T>): Promise<T> {
    const text = this.shared.get(key);
    let value: T;
    if (text !== undefined) value = spec.decode(text);
    else {
      this.loads.push(key);
      value = await spec.load();
      this.shared.set(key, spec.encode(value));
    }
    if (spec.keepInMemory) this.local.set(key, value);
    return value;
  }
}

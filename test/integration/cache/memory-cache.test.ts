/**
 * L1 (DESIGN.md "Cache"): the in-process tier is bounded by bytes, evicts the least recently used
 * entries to stay under the bound, and refuses entries that could never fit.
 */
import { MemoryCache } from '#adapters/cache/memory-cache';

function cacheOf(maxBytes: number) {
  const evictions: number[] = [];
  const cache = new MemoryCache(maxBytes, { onEviction: () => evictions.push(Date.now()) });
  return { cache, evictions };
}

describe('MemoryCache (L1)', () => {
  it('returns what was stored and accounts its bytes', () => {
    const { cache } = cacheOf(1000);
    const value = { heads: ['a'] };
    cache.set('k1', value, 100);
    cache.set('k2', 'two', 50);
    expect(cache.get('k1')).toBe(value);
    expect(cache.get('k2')).toBe('two');
    expect(cache.get('missing')).toBeUndefined();
    expect(cache.bytes).toBe(150);
    expect(cache.entries).toBe(2);
  });

  it('never holds more bytes than its bound, evicting least recently used entries first', () => {
    const { cache, evictions } = cacheOf(1000);
    for (let i = 0; i < 10; i += 1) cache.set(`k${i}`, i, 100);
    expect(cache.bytes).toBe(1000);
    // Touch k0 so it becomes the most recently used; k1 is now the oldest.
    expect(cache.get('k0')).toBe(0);
    cache.set('k10', 10, 250);
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    expect(cache.get('k0')).toBe(0);
    expect(cache.get('k10')).toBe(10);
    // 250 bytes needed room for three 100-byte entries: the three least recently used went.
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k2')).toBeUndefined();
    expect(cache.get('k3')).toBeUndefined();
    expect(cache.get('k4')).toBe(4);
    expect(evictions.length).toBe(3);
  });

  it('stays within the bound under many writes of varied sizes', () => {
    const { cache } = cacheOf(64 * 1024);
    let maxSeen = 0;
    for (let i = 0; i < 5000; i += 1) {
      cache.set(`key-${i}`, { i }, 1 + ((i * 7919) % 9000));
      maxSeen = Math.max(maxSeen, cache.bytes);
    }
    expect(maxSeen).toBeLessThanOrEqual(64 * 1024);
    expect(cache.entries).toBeGreaterThan(0);
  });

  it('rejects an entry larger than the whole cache without evicting anything', () => {
    const { cache, evictions } = cacheOf(1000);
    cache.set('small', 's', 400);
    cache.set('huge', 'h', 1001);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('small')).toBe('s');
    expect(cache.bytes).toBe(400);
    expect(evictions).toHaveLength(0);
  });

  it('accepts an entry exactly the size of the cache (evicting the rest)', () => {
    const { cache } = cacheOf(1000);
    cache.set('a', 'a', 500);
    cache.set('whole', 'w', 1000);
    expect(cache.get('whole')).toBe('w');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes).toBe(1000);
  });

  it('ignores entries with a zero or negative size', () => {
    const { cache } = cacheOf(1000);
    cache.set('zero', 'z', 0);
    cache.set('negative', 'n', -5);
    expect(cache.get('zero')).toBeUndefined();
    expect(cache.get('negative')).toBeUndefined();
    expect(cache.entries).toBe(0);
  });

  it('replacing a key re-accounts its size instead of adding to it', () => {
    const { cache } = cacheOf(1000);
    cache.set('k', 'v1', 300);
    cache.set('k', 'v2', 200);
    expect(cache.get('k')).toBe('v2');
    expect(cache.bytes).toBe(200);
    expect(cache.entries).toBe(1);
  });
});

/**
 * Stands in for mnemonist's LRUCache inside the bundles, where only @aws-sdk/endpoint-cache uses it
 * (the DynamoDB client builds one for endpoint discovery, on by AWS_ENABLE_ENDPOINT_DISCOVERY only).
 * The same cache over lru-cache, which every function with DynamoDB carries anyway: the five
 * methods EndpointCache calls with mnemonist's meaning — `get` makes an entry the most recent,
 * `has` and `peek` do not, `set` evicts the least recent entry beyond `capacity`.
 */
import { LRUCache } from 'lru-cache';

export default class EndpointLru<K extends {}, V extends {}> {
  private readonly lru: LRUCache<K, V>;

  constructor(capacity: number) {
    this.lru = new LRUCache<K, V>({ max: capacity });
  }

  get(key: K): V | undefined {
    return this.lru.get(key);
  }

  set(key: K, value: V): this {
    this.lru.set(key, value);
    return this;
  }

  has(key: K): boolean {
    return this.lru.has(key);
  }

  peek(key: K): V | undefined {
    return this.lru.peek(key);
  }

  clear(): void {
    this.lru.clear();
  }
}

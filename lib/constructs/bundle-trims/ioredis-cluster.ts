/**
 * Stands in for ioredis/built/cluster inside the bundles. Contract: the service only ever connects
 * `new Redis(url)` to one standalone endpoint (functions/adapters/cache/redis-cache.ts
 * failFastRedis); it never constructs `Redis.Cluster`.
 */
import { unusedPart } from './unused';

export default class Cluster {
  constructor() {
    throw unusedPart('ioredis Cluster', 'the service connects one standalone Redis endpoint');
  }
}

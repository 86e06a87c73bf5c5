// The client class itself rather than ioredis's index, whose other exports are not used; Redis.js still requires Cluster and the
// Sentinel connector, which lib/constructs/bundle-trims.ts replaces in the bundles (a standalone connection never runs them).
import Redis from 'ioredis/built/Redis';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';

export interface RedisCacheHooks {
  onError(operation: 'get' | 'set'): void;
  onStateChange(state: 'open' | 'half-open' | 'closed'): void;
}

export interface RedisCacheOptions {
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  ttlSeconds?: number;
  halfOpenAfterMs?: number;
}

/**
 * L2: Redis/Valkey shared by every instance. It must never slow a request down: no offline queue
 * (a command while disconnected fails at once), no per-request retries, short timeouts, and a
 * circuit breaker so an outage is skipped instead of paid for on every request. All failures turn
 * into a miss; the callers then use the database.
 */
/**
 * A Redis client that never makes a request wait for Redis: no offline queue, no retries, short
 * timeouts, reconnecting in the background (never faster than every 250 ms, never slower than 2 s).
 * rediss:// URLs (ElastiCache Serverless) turn TLS on by themselves. Its connection errors are
 * expected during outages and swallowed here: the caller's breaker or fallback accounts for them.
 */
export function failFastRedis(url: string, options: { connectTimeoutMs?: number; commandTimeoutMs?: number } = {}): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: options.connectTimeoutMs ?? 500,
    commandTimeout: options.commandTimeoutMs ?? 150,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(250 * attempt, 2000),
    lazyConnect: false,
  });
  client.on('error', () => undefined);
  return client;
}

export class RedisCache {
  private readonly client: Redis;
  private readonly breaker;
  private readonly ttlSeconds: number;

  constructor(url: string, hooks: RedisCacheHooks, options: RedisCacheOptions = {}) {
    this.ttlSeconds = options.ttlSeconds ?? 3600;
    // Connection errors are expected during outages; the breaker and the hooks account for them.
    this.client = failFastRedis(url, options);
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: options.halfOpenAfterMs ?? 1000,
      breaker: new ConsecutiveBreaker(3),
    });
    this.breaker.onBreak(() => hooks.onStateChange('open'));
    this.breaker.onHalfOpen(() => hooks.onStateChange('half-open'));
    this.breaker.onReset(() => hooks.onStateChange('closed'));
    this.hooks = hooks;
  }

  private readonly hooks: RedisCacheHooks;

  get state(): 'ok' | 'degraded' | 'down' {
    if (this.breaker.state === CircuitState.Open) return 'down';
    if (this.breaker.state === CircuitState.HalfOpen || this.client.status !== 'ready') return 'degraded';
    return 'ok';
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const value = await this.breaker.execute(() => this.client.get(key));
      return value ?? undefined;
    } catch (error) {
      if (!(error instanceof BrokenCircuitError)) this.hooks.onError('get');
      return undefined;
    }
  }

  async set(key: string, value: string): Promise<void> {
    try {
      await this.breaker.execute(() => this.client.set(key, value, 'EX', this.ttlSeconds));
    } catch (error) {
      if (!(error instanceof BrokenCircuitError)) this.hooks.onError('set');
    }
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await this.breaker.execute(() => this.client.ping());
    return performance.now() - started;
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

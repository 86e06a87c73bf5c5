import * as ROUTE from '#functions/routes/service/health';
import { apiHandler } from '#middleware/api-handler';
import { health, type HealthDependencies } from '#functions/composition/health';
import { respond } from '#middleware/route-response';
import { RETRY_AFTER_SECONDS } from '#domain/errors';

async function databaseCheck(deps: HealthDependencies) {
  const started = performance.now();
  try {
    await deps.variableStore.ping();
    return { status: 'ok' as const, latency_ms: round(performance.now() - started) };
  } catch {
    return {
      status: 'down' as const,
      latency_ms: round(performance.now() - started),
      circuit: deps.databaseBreaker.isOpen ? 'open' : 'closed',
    };
  }
}

async function cacheCheck(deps: HealthDependencies) {
  const l1 = { status: 'ok' as const, bytes: deps.cache.memoryBytes, max_bytes: deps.settings.l1MaxBytes };
  const state = deps.cache.redisState;
  if (state === 'disabled') return { status: 'ok' as const, l1, l2: { status: 'disabled' } };
  try {
    const latency = await deps.cache.pingRedis();
    return { status: state === 'ok' ? ('ok' as const) : ('degraded' as const), l1, l2: { status: state, latency_ms: round(latency ?? 0) } };
  } catch {
    return { status: 'degraded' as const, l1, l2: { status: 'down' } };
  }
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Liveness for operators and the local server's readiness: 503 "down" when the database cannot be reached. */
const route = ROUTE.Health;

export const handler = apiHandler(
  route,
  async (_request, deps) => {
    const [database, cache] = await Promise.all([databaseCheck(deps), cacheCheck(deps)]);
    const status: 'ok' | 'degraded' | 'down' = database.status === 'down' ? 'down' : cache.status === 'ok' ? 'ok' : 'degraded';
    const body = { status, checks: { database, cache }, version: deps.settings.serviceVersion };
    return status === 'down' ? respond(route, 503, body, { 'Retry-After': RETRY_AFTER_SECONDS }) : respond(route, 200, body);
    // Exempt from the rate limit (API.md §8) and from the concurrency limit: a probe must tell a busy instance from a dead one.
  },
  { dependencies: health },
);

import type { Reply } from './fresh-connection';

/**
 * Polls GET /api/health until `consecutive` answers in a row say Redis (L2) is ok. Each call is a
 * fresh connection, so with LOCAL_INSTANCES=2 the streak spans both instances: after a Redis
 * restart their clients reconnect with a backoff and their breakers half-open one by one.
 */
export async function redisInUseEverywhere(
  send: (method: string, path: string) => Promise<Reply>,
  withinMs = 15_000,
  consecutive = 4,
): Promise<boolean> {
  let streak = 0;
  for (const until = Date.now() + withinMs; streak < consecutive && Date.now() < until; ) {
    const health = await send('GET', '/api/health');
    const ok = health.status === 200 && health.json?.status === 'ok' && health.json?.checks?.cache?.l2?.status === 'ok';
    streak = ok ? streak + 1 : 0;
    if (streak < consecutive) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return streak >= consecutive;
}

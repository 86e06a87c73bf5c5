/**
 * Redis faults under load (API.md §6 "Cache unreachable", DESIGN.md "Resilience"): concurrent mixed
 * traffic over two instances while the private Redis is paused, resumed, killed and restarted.
 * No request may fail, no acknowledged write may be lost or read stale, and afterwards the cache
 * must be in use again. Latencies are printed for the report, not asserted as a benchmark.
 */
import { startLocalServer, type LocalServer } from '../support/local-server';
import { sendOnFreshConnection, type Reply } from '../support/fresh-connection';
import { redisInUseEverywhere } from '../support/redis-in-use';
import { startRedisServer, type PrivateRedis } from '../support/redis-server';

jest.setTimeout(80_000);

let baseUrl = '';

const send = (method: string, path: string, body?: unknown, timeoutMs = 10000): Promise<Reply> =>
  sendOnFreshConnection(baseUrl, method, path, body, timeoutMs);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const base = (execution: string): string => `/api/v1/executions/${execution}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** functions/services/hints.ts: full suggestions get this long before basic ones are served. */
const FULL_SUGGESTIONS_BUDGET_MS = 1000;

type Phase = 'healthy' | 'paused' | 'resumed' | 'killed' | 'restarted';

describe('Redis faults under concurrent mixed traffic', () => {
  let redis: PrivateRedis;
  let server: LocalServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startLocalServer({ LOCAL_INSTANCES: '2', REDIS_URL: redis.url });
    baseUrl = server.baseUrl;
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  }, 30_000);

  it('pause 3 s, resume, kill, restart: zero failed requests, zero lost or stale acknowledged writes, cache back in use', async () => {
    const run = `rf${Date.now().toString(36)}${process.pid.toString(36)}`;
    const shared = `${run}-shared`;
    let phase: Phase = 'healthy';
    const failures: string[] = [];
    const latencies: Record<string, number[]> = {};
    const byPhase: Record<Phase, number[]> = { healthy: [], paused: [], resumed: [], killed: [], restarted: [] };
    let requests = 0;
    let acknowledgedWrites = 0;
    let slowBasicSuggestions = 0;

    const record = (operation: string, reply: Reply): void => {
      requests += 1;
      (latencies[operation] ??= []).push(reply.ms);
      byPhase[phase].push(reply.ms);
    };
    const call = async (operation: string, method: string, path: string, body?: unknown): Promise<Reply | undefined> => {
      try {
        const reply = await send(method, path, body);
        record(operation, reply);
        return reply;
      } catch (error) {
        requests += 1;
        failures.push(`[${phase}] ${operation} ${method} ${path}: ${(error as Error).message}`);
        return undefined;
      }
    };
    const fail = (operation: string, reply: Reply, why: string): void =>
      void failures.push(`[${phase}] ${operation}: ${why} (status ${reply.status} ${reply.text.slice(0, 200)})`);

    /** One client: writes its own variable (so every acked version is known exactly), then reads it back every way. */
    const loop = async (index: number, deadline: number): Promise<void> => {
      const execution = index % 2 === 0 ? shared : `${run}-own${index}`;
      const name = `loop_${index}`;
      let acked = 0;
      for (let seq = 1; Date.now() < deadline && seq <= 10_000; seq += 1) {
        const put = await call('store', 'PUT', `${base(execution)}/variables/${name}`, {
          value: { seq, owner: index },
          source_step_index: index,
        });
        if (!put) continue;
        if (put.status !== 200 && put.status !== 201) {
          fail('store', put, 'write not acknowledged');
          continue;
        }
        if (put.json.version !== acked + 1) fail('store', put, `version ${put.json.version} after acked ${acked}`);
        acked = put.json.version;
        acknowledgedWrites += 1;

        const get = await call('get', 'GET', `${base(execution)}/variables/${name}`);
        if (get && (get.status !== 200 || get.json.version !== acked || get.json.value?.seq !== seq)) {
          fail('get', get, `stale or lost: version ${get.json?.version} seq ${get.json?.value?.seq}, acked version ${acked} seq ${seq}`);
        }
        const hints = await call('suggestions', 'GET', `${base(execution)}/variable-suggestions?step_index=${index + 1}`);
        if (hints) {
          const mine = hints.json?.variables?.find((item: any) => item.name === name);
          const seen = mine?.properties?.find((property: any) => property.name === 'seq')?.value;
          if (hints.status === 200 && hints.json.mode === 'basic' && hints.ms >= FULL_SUGGESTIONS_BUDGET_MS) {
            // The server's documented 1 s budget for full suggestions ran out (CPU contention on a shared
            // machine does that); a basic answer is then the contract. Counted and printed, not a failure.
            slowBasicSuggestions += 1;
          } else if (hints.status !== 200 || hints.json.mode !== 'full' || seen !== seq) {
            fail('suggestions', hints, `mode ${hints.json?.mode} after ${Math.round(hints.ms)} ms, seq ${seen}, want full/${seq}`);
          }
        }
        const resolved = await call('resolve', 'POST', `${base(execution)}/resolve`, {
          step_index: 100,
          text: `\${${name}.seq}`,
          record: seq % 5 === 0,
        });
        if (resolved && (resolved.status !== 200 || resolved.json.text !== String(seq)))
          fail('resolve', resolved, `text ${JSON.stringify(resolved.json?.text)}, want ${seq}`);
        if (seq % 4 === 0) {
          const list = await call('list', 'GET', `${base(execution)}/variables`);
          const listed = list?.json?.variables?.find((item: any) => item.variable_name === name);
          if (list && (list.status !== 200 || listed?.version !== acked))
            fail('list', list, `listed version ${listed?.version}, acked ${acked}`);
        }
      }
    };

    const started = Date.now();
    const deadline = started + 20_000;
    const loops = Array.from({ length: 8 }, (_, index) => loop(index, deadline));
    const faults = (async () => {
      await sleep(4000);
      phase = 'paused';
      redis.pause();
      await sleep(3000);
      redis.resume();
      phase = 'resumed';
      await sleep(3000);
      phase = 'killed';
      await redis.kill();
      await sleep(3000);
      await redis.restart();
      phase = 'restarted';
    })();
    await Promise.all([...loops, faults]);

    const all = Object.values(latencies)
      .flat()
      .sort((a, b) => a - b);
    const summary = Object.entries(latencies).map(([operation, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return (
        `${operation}: n=${sorted.length} p50=${percentile(sorted, 50).toFixed(1)} ms ` +
        `p99=${percentile(sorted, 99).toFixed(1)} ms max=${sorted[sorted.length - 1]?.toFixed(1)} ms`
      );
    });
    const phases = (Object.entries(byPhase) as Array<[Phase, number[]]>).map(([name, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return (
        `${name}: n=${sorted.length} p50=${percentile(sorted, 50).toFixed(1)} ms ` +
        `p99=${percentile(sorted, 99).toFixed(1)} ms max=${sorted[sorted.length - 1]?.toFixed(1)} ms`
      );
    });
    console.log(
      `redis-faults: ${requests} requests, ${acknowledgedWrites} acknowledged writes in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `overall p50=${percentile(all, 50).toFixed(1)} ms p99=${percentile(all, 99).toFixed(1)} ms ` +
        `max=${all[all.length - 1]?.toFixed(1)} ms; ` +
        `${slowBasicSuggestions} suggestions answered basic after their 1 s budget\n  ${summary.join('\n  ')}\n ` +
        ` by phase:\n  ${phases.join('\n  ')}`,
    );

    expect(failures.slice(0, 20)).toEqual([]);
    expect(acknowledgedWrites).toBeGreaterThan(100);
    // Every phase carried traffic, so each fault was really exercised under load.
    for (const values of Object.values(byPhase)) expect(values.length).toBeGreaterThan(20);
    // A fault-behaviour bound, not a benchmark: no request waited seconds on a hung or dead Redis
    // (ioredis defaults would; the request budget is 8 s). p99 is only printed: on a shared
    // 2-CPU machine it moves with the load of other test runs, not with this code.
    expect(all[all.length - 1]).toBeLessThan(3000);

    // Afterwards the cache is back in use: every instance reports L2 ok, and the restarted (empty) Redis fills again.
    expect(await redisInUseEverywhere(send, 10_000)).toBe(true);
    const fresh = `${run}-after`;
    expect((await send('PUT', `${base(fresh)}/variables/after`, { value: 1, source_step_index: 0 })).status).toBe(201);
    // The L2 fill is fire-and-forget: read until the snapshot shows up in Redis (bounded).
    let keys = '';
    for (const until = Date.now() + 10_000; !/^\*[1-9]/.test(keys) && Date.now() < until; ) {
      for (let i = 0; i < 4; i += 1) expect((await send('GET', `${base(fresh)}/variables`)).status).toBe(200);
      await sleep(200);
      keys = await redis.command('KEYS', `snap:${fresh}:*`);
    }
    expect(keys).toMatch(/^\*[1-9]/);
  });
});

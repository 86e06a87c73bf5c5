/**
 * Read-your-writes across instances (API.md §2, DESIGN.md "Cache"): with LOCAL_INSTANCES=2 (two
 * independent L1s) sharing a private Redis, a read that starts after a 2xx write sees it on every
 * instance — with Redis healthy, paused during the write, killed and restarted empty, or back
 * with old data. Every request uses its own connection, so the cluster's round-robin spreads
 * consecutive requests over both instances.
 */
import Redis from 'ioredis';
import { startLocalServer, type LocalServer } from '../support/local-server';
import { sendOnFreshConnection, type Reply } from '../support/fresh-connection';
import { redisInUseEverywhere } from '../support/redis-in-use';
import { startRedisServer, type PrivateRedis } from '../support/redis-server';

jest.setTimeout(60_000);

let baseUrl = '';

const send = (method: string, path: string, body?: unknown, timeoutMs = 15000): Promise<Reply> =>
  sendOnFreshConnection(baseUrl, method, path, body, timeoutMs);

let sequence = 0;
const newExecution = (tag: string): string => `coh-${tag}-${Date.now().toString(36)}${process.pid.toString(36)}${(sequence += 1)}`;
const base = (execution: string): string => `/api/v1/executions/${execution}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The value written as version n: its content says which write it came from. */
const orderValue = (n: number) => ({ n, tag: `v${n}`, items: [n, n + 1] });

async function putOrder(execution: string, n: number, step = 1): Promise<Reply> {
  const reply = await send('PUT', `${base(execution)}/variables/order`, { value: orderValue(n), source_step_index: step });
  if (reply.status !== 200 && reply.status !== 201) throw new Error(`PUT order #${n} answered ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply;
}

async function putExtra(execution: string, n: number): Promise<void> {
  const reply = await send('PUT', `${base(execution)}/variables/extra_${n}`, { value: `extra ${n}`, source_step_index: 2 });
  if (reply.status !== 201) throw new Error(`PUT extra_${n} answered ${reply.status} ${reply.text.slice(0, 300)}`);
}

/**
 * Every read path, each over fresh connections (so over both instances), must show the write
 * `expected` just acknowledged: version, value, and the set of `extra_*` variables. Returns the
 * mismatches instead of throwing at the first, so a failure reports the whole picture.
 */
async function mismatches(execution: string, expected: { version: number; n: number; extras: number }, label: string): Promise<string[]> {
  const problems: string[] = [];
  const note = (what: string, reply: Reply, detail: string): void => void problems.push(`${label}: ${what} → ${reply.status} ${detail}`);
  for (let i = 0; i < 10; i += 1) {
    const reply = await send('GET', `${base(execution)}/variables/order`);
    if (reply.status !== 200 || reply.json?.version !== expected.version || reply.json?.value?.n !== expected.n) {
      note(`GET #${i}`, reply, `version ${reply.json?.version} n ${reply.json?.value?.n} (want ${expected.version}/${expected.n})`);
    }
  }
  for (let i = 0; i < 2; i += 1) {
    const list = await send('GET', `${base(execution)}/variables?include_values=true`);
    const order = list.json?.variables?.find((item: any) => item.variable_name === 'order');
    const extras = list.json?.variables?.filter((item: any) => item.variable_name.startsWith('extra_')).length;
    if (list.status !== 200 || order?.version !== expected.version || order?.value?.n !== expected.n || extras !== expected.extras) {
      note(
        `list #${i}`,
        list,
        `version ${order?.version} n ${order?.value?.n} extras ${extras} (want ${expected.version}/${expected.n}/${expected.extras})`,
      );
    }
    const hints = await send('GET', `${base(execution)}/variable-suggestions?step_index=10`);
    const hinted = hints.json?.variables?.find((item: any) => item.name === 'order');
    const hintedN = hinted?.properties?.find((property: any) => property.name === 'n')?.value;
    const hintedExtras = hints.json?.variables?.filter((item: any) => item.name.startsWith('extra_')).length;
    if (hints.status !== 200 || hints.json?.mode !== 'full' || hintedN !== expected.n || hintedExtras !== expected.extras) {
      note(
        `suggestions #${i}`,
        hints,
        `mode ${hints.json?.mode} n ${hintedN} extras ${hintedExtras} (want full/${expected.n}/${expected.extras})`,
      );
    }
    const resolved = await send('POST', `${base(execution)}/resolve`, { step_index: 10, text: '${order.n}/${order.tag}', record: false });
    if (resolved.status !== 200 || resolved.json?.text !== `${expected.n}/v${expected.n}`)
      note(`resolve #${i}`, resolved, `text ${JSON.stringify(resolved.json?.text)}`);
    const search = await send('GET', `${base(execution)}/variable-suggestions/search?q=extra&limit=50`);
    const found = search.json?.matches?.filter((match: any) => match.name.startsWith('extra_')).length;
    if (search.status !== 200 || found !== expected.extras)
      note(`search #${i}`, search, `extra_* matches ${found} (want ${expected.extras})`);
    const summary = await send('GET', base(execution));
    if (summary.status !== 200 || summary.json?.variables_count !== expected.extras + 1)
      note(`execution #${i}`, summary, `variables_count ${summary.json?.variables_count}`);
  }
  return problems;
}

async function expectEverywhere(execution: string, expected: { version: number; n: number; extras: number }, label: string): Promise<void> {
  expect(await mismatches(execution, expected, label)).toEqual([]);
}

/** An admin connection to the private Redis (never the shared one), for inspecting and rewriting its contents. */
async function withAdmin<T>(redis: PrivateRedis, work: (admin: Redis) => Promise<T>): Promise<T> {
  const admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    admin.disconnect();
  }
}

async function redisEntries(redis: PrivateRedis, pattern: string): Promise<Map<string, Buffer>> {
  return withAdmin(redis, async (admin) => {
    const entries = new Map<string, Buffer>();
    for (const key of await admin.keys(pattern)) {
      const value = await admin.getBuffer(key);
      if (value) entries.set(key, value);
    }
    return entries;
  });
}

describe('cache coherence across two instances sharing Redis', () => {
  let redis: PrivateRedis;
  let server: LocalServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startLocalServer({ LOCAL_INSTANCES: '2', REDIS_URL: redis.url });
    baseUrl = server.baseUrl;
  }, 90_000);

  afterEach(async () => {
    // Leave a healthy Redis for the next test, whatever this one did to it, and wait until both
    // instances use it again (their clients reconnect with a backoff, their breakers half-open):
    // a test that expects Redis to hold what a read filled must not start while fills are skipped.
    if (redis.running) redis.resume();
    else await redis.restart();
    expect(await redisInUseEverywhere(send)).toBe(true);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  }, 30_000);

  it('requests on fresh connections reach both instances (their L1s differ after one read)', async () => {
    const execution = newExecution('spread');
    await putOrder(execution, 1);
    // Only the instance that serves this read caches the snapshot in its L1.
    expect((await send('GET', `${base(execution)}/variables`)).status).toBe(200);
    const bytes = new Set<number>();
    for (let i = 0; i < 6; i += 1) {
      const health = await send('GET', '/api/health');
      expect(health.status).toBe(200);
      bytes.add(health.json.checks.cache.l1.bytes);
    }
    expect(bytes.size).toBe(2);
  });

  it('each acknowledged write is what the next reads on every instance return (Redis healthy)', async () => {
    const execution = newExecution('healthy');
    for (let n = 1; n <= 6; n += 1) {
      await putExtra(execution, n);
      const put = await putOrder(execution, n);
      expect(put.json.version).toBe(n);
      await expectEverywhere(execution, { version: n, n, extras: n }, `write ${n}`);
    }
    // The reads went through Redis: version-keyed snapshots are there.
    const keys = await redisEntries(redis, `snap:${execution}:*`);
    expect(keys.size).toBeGreaterThan(0);
  });

  it('writes made while Redis is paused (SIGSTOP) are seen during the pause and after it resumes', async () => {
    const execution = newExecution('paused');
    await putExtra(execution, 1);
    await putOrder(execution, 1);
    await expectEverywhere(execution, { version: 1, n: 1, extras: 1 }, 'warm');
    let version = 1;
    for (let round = 1; round <= 2; round += 1) {
      redis.pause();
      version += 1;
      await putExtra(execution, version);
      const put = await putOrder(execution, version);
      expect(put.json.version).toBe(version);
      await expectEverywhere(execution, { version, n: version, extras: version }, `round ${round}, Redis paused`);
      redis.resume();
      await expectEverywhere(execution, { version, n: version, extras: version }, `round ${round}, Redis resumed`);
    }
  });

  it('Redis killed during writes and restarted empty: every acknowledged write is read back', async () => {
    const execution = newExecution('killed');
    for (let n = 1; n <= 8; n += 1) {
      if (n === 3) await redis.kill();
      if (n === 6) await redis.restart();
      await putExtra(execution, n);
      const put = await putOrder(execution, n);
      expect(put.json.version).toBe(n);
      await expectEverywhere(execution, { version: n, n, extras: n }, `write ${n} (Redis ${n >= 3 && n < 6 ? 'dead' : 'up'})`);
    }
  });

  it('Redis back with OLD data (a resumed server, a promoted stale replica): reads still see the newest write', async () => {
    const execution = newExecution('stale');
    for (let n = 1; n <= 3; n += 1) {
      await putExtra(execution, n);
      await putOrder(execution, n);
      await expectEverywhere(execution, { version: n, n, extras: n }, `before snapshot, write ${n}`);
    }
    // What a stale replica would hold: Redis as it was after write 3. The L2 fill is fire-and-forget,
    // and after the previous test's restart the instances' breakers may still be closing: read until
    // the snapshot is in Redis (bounded).
    let old = await redisEntries(redis, '*');
    for (
      const deadline = Date.now() + 10_000;
      ![...old.keys()].some((key) => key.startsWith(`snap:${execution}:`)) && Date.now() < deadline;
    ) {
      await sleep(250);
      await expectEverywhere(execution, { version: 3, n: 3, extras: 3 }, 'waiting for the snapshot in Redis');
      old = await redisEntries(redis, '*');
    }
    expect([...old.keys()].some((key) => key.startsWith(`snap:${execution}:`))).toBe(true);

    for (let n = 4; n <= 6; n += 1) {
      await putExtra(execution, n);
      await putOrder(execution, n);
      await expectEverywhere(execution, { version: n, n, extras: n }, `after snapshot, write ${n}`);
    }
    // Fail over to the "replica": a new, empty server on the same address, loaded with the old data.
    await redis.restart();
    await withAdmin(redis, async (admin) => {
      for (const [key, value] of old) await admin.set(key, value, 'EX', 3600);
    });
    await sleep(2500); // the instances' clients reconnect (retry backoff ≤ 2 s) and their breakers close
    await expectEverywhere(execution, { version: 6, n: 6, extras: 6 }, 'after failover to old data');
    await putExtra(execution, 7);
    await putOrder(execution, 7);
    await expectEverywhere(execution, { version: 7, n: 7, extras: 7 }, 'write after failover');

    // And a paused server resumed: whatever it held or executes late is older than the writes made meanwhile.
    redis.pause();
    for (let n = 8; n <= 9; n += 1) {
      await putExtra(execution, n);
      await putOrder(execution, n);
    }
    redis.resume();
    await expectEverywhere(execution, { version: 9, n: 9, extras: 9 }, 'after resume with old entries');
  });

  it('DELETE of a variable answers 404 on every instance right away, and a re-created one shows its new content', async () => {
    const execution = newExecution('delete');
    await putExtra(execution, 1);
    await putOrder(execution, 1);
    await putOrder(execution, 2);
    await expectEverywhere(execution, { version: 2, n: 2, extras: 1 }, 'before delete');
    const deleted = await send('DELETE', `${base(execution)}/variables/order`);
    expect(deleted.status).toBe(204);
    const problems: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const reply = await send('GET', `${base(execution)}/variables/order`);
      if (reply.status !== 404 || reply.json?.error?.code !== 'VARIABLE_NOT_FOUND')
        problems.push(`GET #${i} → ${reply.status} ${reply.text.slice(0, 120)}`);
      const list = await send('GET', `${base(execution)}/variables`);
      if (list.json?.variables?.some((item: any) => item.variable_name === 'order')) problems.push(`list #${i} still has 'order'`);
      const hints = await send('GET', `${base(execution)}/variable-suggestions`);
      if (hints.json?.variables?.some((item: any) => item.name === 'order')) problems.push(`suggestions #${i} still have 'order'`);
    }
    expect(problems).toEqual([]);
    const recreated = await putOrder(execution, 30);
    expect(recreated.status).toBe(201);
    expect(recreated.json.version).toBe(1);
    await expectEverywhere(execution, { version: 1, n: 30, extras: 1 }, 're-created');
  });

  it('DELETE of a variable while Redis is paused: 404 on every instance during and after the pause', async () => {
    const execution = newExecution('delpause');
    await putExtra(execution, 1);
    await putOrder(execution, 1);
    await expectEverywhere(execution, { version: 1, n: 1, extras: 1 }, 'before delete');
    redis.pause();
    expect((await send('DELETE', `${base(execution)}/variables/order`)).status).toBe(204);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await send('GET', `${base(execution)}/variables/order`)).status);
    redis.resume();
    for (let i = 0; i < 6; i += 1) statuses.push((await send('GET', `${base(execution)}/variables/order`)).status);
    expect(statuses).toEqual(Array(12).fill(404));
  });

  it('DELETE of the execution empties it on every instance', async () => {
    const execution = newExecution('delexec');
    await putExtra(execution, 1);
    await putOrder(execution, 1);
    await expectEverywhere(execution, { version: 1, n: 1, extras: 1 }, 'before delete');
    expect((await send('DELETE', base(execution))).status).toBe(204);
    for (let i = 0; i < 6; i += 1) {
      expect((await send('GET', `${base(execution)}/variables/order`)).status).toBe(404);
      const list = await send('GET', `${base(execution)}/variables`);
      expect(list.json.variables).toEqual([]);
      expect((await send('GET', base(execution))).json.variables_count).toBe(0);
    }
  });

  it('large (chunked, L1-bypassing) values: each rewrite is read back on every instance, also with Redis paused', async () => {
    const execution = newExecution('large');
    const big = (n: number) => ({ n, blob: `${n}:`.padEnd(400 * 1024, String.fromCharCode(97 + (n % 26))) });
    const problems: string[] = [];
    for (let n = 1; n <= 4; n += 1) {
      if (n === 3) redis.pause();
      const put = await send('PUT', `${base(execution)}/variables/big`, { value: big(n), source_step_index: 0 });
      expect([200, 201]).toContain(put.status);
      expect(put.json.version).toBe(n);
      for (let i = 0; i < 6; i += 1) {
        const reply = await send('GET', `${base(execution)}/variables/big`);
        if (reply.status !== 200 || reply.json?.version !== n || reply.json?.value?.n !== n || reply.json?.value?.blob !== big(n).blob) {
          problems.push(`write ${n}, GET #${i} → ${reply.status} version ${reply.json?.version} n ${reply.json?.value?.n}`);
        }
        const resolved = await send('POST', `${base(execution)}/resolve`, { step_index: 5, text: '${big.n}', record: false });
        if (resolved.json?.text !== String(n))
          problems.push(`write ${n}, resolve #${i} → ${resolved.status} ${JSON.stringify(resolved.json?.text)}`);
      }
    }
    redis.resume();
    for (let i = 0; i < 4; i += 1) {
      const reply = await send('GET', `${base(execution)}/variables/big`);
      if (reply.json?.value?.n !== 4) problems.push(`after resume GET #${i} → ${reply.status} n ${reply.json?.value?.n}`);
    }
    expect(problems).toEqual([]);
  });
});

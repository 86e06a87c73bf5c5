/**
 * Database faults (API.md §6 "Database unreachable", DESIGN.md "Resilience"): the service runs
 * against an EXTERNAL dynalite that this test owns (DYNAMODB_ENDPOINT). When it dies every request
 * fails fast with 503 SERVICE_UNAVAILABLE and Retry-After (suggestions and validate degrade with
 * 200 instead), health says "down", nothing hangs, and the service recovers by itself when the
 * database is back. Time bounds are fault-behaviour bounds, not benchmarks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startLocalServer, type LocalServer } from '../support/local-server';
import { sendOnFreshConnection, type Reply } from '../support/fresh-connection';

jest.setTimeout(60_000);

/** Answers within "a couple of seconds" when the database refuses connections. */
const FAIL_FAST_MS = 5000;
/** The request budget (REQUEST_BUDGET_MS default 8 s) plus a margin: the bound when the database hangs. */
const HANG_BOUND_MS = 9500;

let baseUrl = '';

const send = (method: string, path: string, body?: unknown, timeoutMs = 20000, headers: Record<string, string> = {}): Promise<Reply> =>
  sendOnFreshConnection(baseUrl, method, path, body, timeoutMs, headers);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the external database ---------------------------------------------------------------------

type Dynalite = Server;

async function startDynalite(port: number, dataDir?: string): Promise<Dynalite> {
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Dynalite;
  const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

/** Kills it the hard way: stop listening and cut every open connection. */
async function killDynalite(server: Dynalite): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** A database that accepts connections and never answers (a hung endpoint). */
async function startBlackhole(port: number): Promise<{ stopListening(): void; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  let closed: Promise<void> | undefined;
  const stopListening = (): void => {
    // New connections are refused (or reach whatever listens next); the hung ones stay hung.
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    stopListening,
    stop: async () => {
      stopListening();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

// ---- expectations ------------------------------------------------------------------------------

const exec = (id: string): string => `/api/v1/executions/${id}`;

interface Probe {
  name: string;
  method: string;
  path: string;
  body?: unknown;
}

function probesFor(execution: string): Probe[] {
  const base = exec(execution);
  return [
    { name: 'store', method: 'PUT', path: `${base}/variables/user`, body: { value: { name: 'Bob' }, source_step_index: 1 } },
    {
      name: 'batch store',
      method: 'POST',
      path: `${base}/variables`,
      body: { variables: [{ variable_name: 'b1', value: 1, source_step_index: 1 }] },
    },
    { name: 'get', method: 'GET', path: `${base}/variables/user` },
    { name: 'list', method: 'GET', path: `${base}/variables` },
    { name: 'properties', method: 'GET', path: `${base}/variables/user/properties` },
    { name: 'search', method: 'GET', path: `${base}/variable-suggestions/search?q=user` },
    { name: 'resolve', method: 'POST', path: `${base}/resolve`, body: { step_index: 5, text: 'hi ${user.name}' } },
    { name: 'execution', method: 'GET', path: base },
    { name: 'references', method: 'GET', path: `${base}/variable-references` },
    { name: 'delete variable', method: 'DELETE', path: `${base}/variables/items` },
    { name: 'delete execution', method: 'DELETE', path: `${base}-other` },
  ];
}

/** Every way a probe can be wrong while the database is down, as readable strings. */
function unavailableProblems(probe: Probe, reply: Reply, boundMs: number): string[] {
  const problems: string[] = [];
  const retryAfter = reply.headers['retry-after'];
  if (reply.status !== 503) problems.push(`${probe.name}: status ${reply.status} ${reply.json?.error?.code ?? reply.text.slice(0, 200)}`);
  else {
    if (reply.json?.error?.code !== 'SERVICE_UNAVAILABLE') problems.push(`${probe.name}: code ${reply.json?.error?.code}`);
    if (reply.json?.error?.error_type !== 'database_error') problems.push(`${probe.name}: error_type ${reply.json?.error?.error_type}`);
    if (typeof retryAfter !== 'string' || !/^[1-9]\d*$/.test(retryAfter))
      problems.push(`${probe.name}: Retry-After ${JSON.stringify(retryAfter)}`);
    if (/\n\s+at\s|node_modules|\.ts:\d+/.test(reply.text)) problems.push(`${probe.name}: leaks internals`);
  }
  if (reply.ms >= boundMs) problems.push(`${probe.name}: took ${Math.round(reply.ms)} ms (bound ${boundMs})`);
  return problems;
}

async function degradedProblems(execution: string, boundMs: number): Promise<string[]> {
  const problems: string[] = [];
  const hints = await send('GET', `${exec(execution)}/variable-suggestions?step_index=10`);
  if (hints.status !== 200 || hints.json?.mode !== 'basic')
    problems.push(`suggestions: ${hints.status} mode ${hints.json?.mode} ${hints.text.slice(0, 200)}`);
  if (hints.ms >= boundMs) problems.push(`suggestions: took ${Math.round(hints.ms)} ms`);
  const validate = await send('POST', `${exec(execution)}/variables/validate`, {
    references: ['${user.name}', '${ bad }', 'plain'],
    step_index: 10,
  });
  const results = validate.json?.validation_results;
  if (
    validate.status !== 200 ||
    !Array.isArray(results) ||
    results.length !== 3 ||
    !results.every((item: any) => item.mode === 'syntax_only')
  ) {
    problems.push(`validate: ${validate.status} ${validate.text.slice(0, 300)}`);
  } else {
    if (results[0].is_valid !== true) problems.push(`validate: a well-formed reference marked invalid: ${JSON.stringify(results[0])}`);
    if (results[1].is_valid !== false || results[1].error_code !== 'INVALID_SYNTAX')
      problems.push(`validate: bad syntax not caught: ${JSON.stringify(results[1])}`);
    if (results[2].is_valid !== false || results[2].error_code !== 'INVALID_FORMAT')
      problems.push(`validate: bad format not caught: ${JSON.stringify(results[2])}`);
  }
  if (validate.ms >= boundMs) problems.push(`validate: took ${Math.round(validate.ms)} ms`);
  const health = await send('GET', '/api/health');
  if (health.status !== 503 || health.json?.status !== 'down' || health.json?.checks?.database?.status !== 'down')
    problems.push(`health: ${health.status} ${health.text.slice(0, 200)}`);
  if (typeof health.headers['retry-after'] !== 'string') problems.push('health: no Retry-After');
  if (health.ms >= boundMs) problems.push(`health: took ${Math.round(health.ms)} ms`);
  return problems;
}

/** Health 200 "ok"/"degraded" on several fresh connections in a row (so on both instances). */
async function waitForRecovery(withinMs: number): Promise<number> {
  const started = Date.now();
  let streak = 0;
  while (Date.now() - started < withinMs) {
    const health = await send('GET', '/api/health');
    streak = health.status === 200 && health.json?.checks?.database?.status === 'ok' ? streak + 1 : 0;
    if (streak >= 4) return Date.now() - started;
    await sleep(200);
  }
  throw new Error(`service did not recover within ${withinMs} ms`);
}

/** Polls until suggestions are full again on both instances (their breaker half-opens after a while). */
async function waitForFullSuggestions(execution: string, withinMs: number): Promise<void> {
  const started = Date.now();
  let streak = 0;
  while (Date.now() - started < withinMs) {
    const hints = await send('GET', `${exec(execution)}/variable-suggestions?step_index=10`);
    streak = hints.status === 200 && hints.json?.mode === 'full' ? streak + 1 : 0;
    if (streak >= 4) return;
    await sleep(250);
  }
  throw new Error(`suggestions stayed degraded for ${withinMs} ms after the database came back`);
}

async function seed(execution: string): Promise<void> {
  const put = async (name: string, value: unknown, step: number) => {
    const reply = await send('PUT', `${exec(execution)}/variables/${name}`, { value, source_step_index: step });
    if (reply.status !== 201 && reply.status !== 200) throw new Error(`seed ${name}: ${reply.status} ${reply.text}`);
  };
  await put('user', { name: 'Ann', id: 1 }, 1);
  await put('items', [1, 2, 3], 2);
  // Warm both instances' caches, so a degraded answer has something at hand and a stale cache could show.
  for (let i = 0; i < 4; i += 1) {
    expect((await send('GET', `${exec(execution)}/variable-suggestions?step_index=10`)).json.mode).toBe('full');
    // The PUTs of the probes answered 5xx: whether they were stored is unknown to the client, so either value may be there.
    const after = await send('GET', `${exec(execution)}/variables/user`);
    expect(after.status).toBe(200);
    expect([{ name: 'Ann', id: 1 }, { name: 'Bob' }]).toContainEqual(after.json.value);
  }
}

describe('DynamoDB unreachable: fail fast, degrade, recover', () => {
  let port: number;
  let dataDir: string;
  let database: Dynalite | undefined;
  let server: LocalServer;

  beforeAll(async () => {
    port = await freePort();
    dataDir = mkdtempSync(path.join(tmpdir(), 'variable-service-dbfaults-'));
    database = await startDynalite(port, dataDir);
    server = await startLocalServer({ LOCAL_INSTANCES: '2', DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` });
    baseUrl = server.baseUrl;
  }, 90_000);

  beforeEach(async () => {
    // A previous test that failed half-way may have left the database down.
    if (!database) {
      database = await startDynalite(port, dataDir);
      await waitForRecovery(15_000);
    }
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (database?.listening) await killDynalite(database);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it(
    'database killed: 503 + Retry-After fast everywhere, suggestions/validate degrade, health down; ' +
      'it recovers by itself with the data intact',
    async () => {
      const execution = `dbf-${Date.now().toString(36)}${process.pid.toString(36)}`;
      await seed(execution);
      await killDynalite(database!);
      database = undefined;

      const problems: string[] = [];
      // Twice over fresh connections (both instances), before and after their breakers open.
      for (let round = 0; round < 3; round += 1) {
        for (const probe of probesFor(execution))
          problems.push(...unavailableProblems(probe, await send(probe.method, probe.path, probe.body), FAIL_FAST_MS));
        problems.push(...(await degradedProblems(execution, FAIL_FAST_MS)));
      }
      // And a burst of concurrent requests.
      const burst = probesFor(execution).flatMap((probe) => [probe, probe]);
      const replies = await Promise.all(burst.map((probe) => send(probe.method, probe.path, probe.body)));
      replies.forEach((reply, index) => {
        problems.push(...unavailableProblems(burst[index], reply, FAIL_FAST_MS));
      });
      expect(problems).toEqual([]);

      // The same database comes back (same port, same files): no restart of the service, no manual step.
      database = await startDynalite(port, dataDir);
      const recoveredIn = await waitForRecovery(15_000);
      console.log(`database-faults: healthy again ${recoveredIn} ms after the database came back`);
      for (let i = 0; i < 4; i += 1) {
        const get = await send('GET', `${exec(execution)}/variables/user`);
        expect(get.status).toBe(200);
        // Nothing was stored by the 503 answers: the value written before the outage is the one there.
        expect(get.json.value).toEqual({ name: 'Ann', id: 1 });
        expect(get.json.version).toBe(1);
      }
      const put = await send('PUT', `${exec(execution)}/variables/user`, { value: { name: 'Cid' }, source_step_index: 1 });
      expect(put.status).toBe(200);
      expect(put.json.version).toBe(2);
      for (let i = 0; i < 4; i += 1) expect((await send('GET', `${exec(execution)}/variables/user`)).json.value).toEqual({ name: 'Cid' });
      await waitForFullSuggestions(execution, 15_000);
    },
  );

  /** Replaces the database with one that accepts connections and never answers, runs `work`, then brings the real one back. */
  async function whileHung(work: (execution: string) => Promise<void>): Promise<void> {
    const execution = `dbh-${Date.now().toString(36)}${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    await seed(execution);
    await killDynalite(database!);
    database = undefined;
    const blackhole = await startBlackhole(port);
    try {
      await work(execution);
    } finally {
      await blackhole.stop();
      database = await startDynalite(port, dataDir);
      await waitForRecovery(15_000);
    }
    // The PUTs of the probes answered 5xx: whether they were stored is unknown to the client, so either value may be there.
    const after = await send('GET', `${exec(execution)}/variables/user`);
    expect(after.status).toBe(200);
    expect([{ name: 'Ann', id: 1 }, { name: 'Bob' }]).toContainEqual(after.json.value);
  }

  it(
    'database hangs (accepts, never answers): every request still ends within the request budget with ' + '503/504, suggestions degrade',
    async () => {
      await whileHung(async (execution) => {
        const probes = probesFor(execution).filter((probe) => ['store', 'get', 'list', 'resolve'].includes(probe.name));
        const burst = [...probes, ...probes];
        const replies = await Promise.all(burst.map((probe) => send(probe.method, probe.path, probe.body)));
        const problems: string[] = [];
        replies.forEach((reply, index) => {
          const probe = burst[index];
          if (reply.status === 504) {
            if (reply.json?.error?.code !== 'TIMEOUT') problems.push(`${probe.name}: 504 with ${reply.json?.error?.code}`);
            if (reply.ms >= HANG_BOUND_MS) problems.push(`${probe.name}: took ${Math.round(reply.ms)} ms`);
          } else {
            problems.push(...unavailableProblems(probe, reply, HANG_BOUND_MS));
          }
        });
        const hints = await send('GET', `${exec(execution)}/variable-suggestions?step_index=10`);
        if (hints.status !== 200 || hints.json?.mode !== 'basic' || hints.ms >= HANG_BOUND_MS)
          problems.push(`suggestions: ${hints.status} ${hints.json?.mode} in ${Math.round(hints.ms)} ms`);
        console.log(
          `database-faults (hung database): slowest answer ${Math.round(Math.max(...replies.map((reply) => reply.ms)))} ` +
            `ms, statuses ${[...new Set(replies.map((reply) => reply.status))].join('/')}`,
        );
        expect(problems).toEqual([]);
      });
    },
  );

  it(
    'database hangs: the per-call timeout turns it into 503 + Retry-After before the budget, health ' +
      'says "down", and the breaker then fails requests fast',
    async () => {
      await whileHung(async (execution) => {
        const probes = probesFor(execution).filter((probe) => ['store', 'get', 'list', 'resolve'].includes(probe.name));
        const problems: string[] = [];
        // One DYNAMODB_CALL_TIMEOUT_MS (1.5 s): a silent database gets no retries. Well before the 8 s budget.
        const PER_CALL_BOUND_MS = 4000;
        // Enough concurrent calls that each instance sees more than the breaker's 5 consecutive failures.
        const first = [...probes, ...probes, ...probes];
        const [replies, health] = await Promise.all([
          Promise.all(first.map((probe) => send(probe.method, probe.path, probe.body))),
          send('GET', '/api/health'),
        ]);
        replies.forEach((reply, index) => {
          problems.push(...unavailableProblems(first[index], reply, PER_CALL_BOUND_MS).map((problem) => `first wave ${problem}`));
        });
        if (health.status !== 503 || health.json?.status !== 'down' || health.ms >= PER_CALL_BOUND_MS) {
          problems.push(
            `health: ${health.status} ${health.json?.status ?? health.json?.error?.code} in ${Math.round(health.ms)} ms (want 503 "down")`,
          );
        }
        // Both instances have now seen several consecutive failures: their breakers are open.
        const second = await Promise.all(
          probes.map((probe) => send(probe.method, probe.path, probe.body, 3000).catch((error: Error) => error)),
        );
        second.forEach((reply, index) => {
          if (reply instanceof Error) problems.push(`after the breaker should be open: ${probes[index].name}: no answer within 3000 ms`);
          else
            problems.push(
              ...unavailableProblems(probes[index], reply, 2000).map((problem) => `after the breaker should be open: ${problem}`),
            );
        });
        // An idempotent write does not go around the open breaker through the idempotency store.
        const store = probes.find((probe) => probe.name === 'store')!;
        const keyed = await Promise.all(
          [0, 1].map((i) =>
            send(store.method, store.path, store.body, 3000, { 'Idempotency-Key': `hung-${i}` }).catch((error: Error) => error),
          ),
        );
        keyed.forEach((reply) => {
          if (reply instanceof Error) problems.push('keyed store with the breaker open: no answer within 3000 ms');
          else problems.push(...unavailableProblems(store, reply, 1000).map((problem) => `keyed ${problem}`));
        });
        expect(problems).toEqual([]);
      });
    },
  );

  it('a write that answered 5xx while the database hung never lands after a later acknowledged write (no zombie retries)', async () => {
    const execution = `dbz-${Date.now().toString(36)}${process.pid.toString(36)}`;
    await seed(execution);
    await killDynalite(database!);
    database = undefined;
    const blackhole = await startBlackhole(port);
    let acked: Reply | undefined;
    try {
      const abandoned = await send('PUT', `${exec(execution)}/variables/user`, { value: { name: 'Zombie' }, source_step_index: 1 });
      expect([503, 504]).toContain(abandoned.status);
      // The database comes back for new connections while the connections of the hung calls stay stuck.
      blackhole.stopListening();
      database = await startDynalite(port, dataDir);
      await waitForRecovery(15_000);
      acked = await send('PUT', `${exec(execution)}/variables/user`, { value: { name: 'Acked' }, source_step_index: 1 });
      expect(acked.status).toBe(200);
    } finally {
      // The stuck connections finally break (as a network path heals or a NAT drops them).
      await blackhole.stop();
    }
    await sleep(1000); // room for any retry the SDK still had in hand (its backoff is ~100-300 ms)
    const seen: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const get = await send('GET', `${exec(execution)}/variables/user`);
      seen.push(`${get.status} ${JSON.stringify(get.json?.value)} v${get.json?.version}`);
    }
    // The client was told the first PUT failed and then got 200 for the second: that is what must be stored.
    expect(seen).toEqual(Array(4).fill(`200 {"name":"Acked"} v${acked!.json.version}`));
  });

  it(
    'a NEW, empty database on the same port (an in-memory dynalite restarted): the server creates ' +
      'the tables again by itself, and no instance serves the old data from its cache',
    async () => {
      const execution = `dbn-${Date.now().toString(36)}${process.pid.toString(36)}`;
      await seed(execution);
      await killDynalite(database!);
      database = await startDynalite(port); // in memory: no tables, no data
      await waitForRecovery(15_000);
      for (let i = 0; i < 4; i += 1) {
        const get = await send('GET', `${exec(execution)}/variables/user`);
        expect(get.status).toBe(404);
        const list = await send('GET', `${exec(execution)}/variables`);
        expect(list.status).toBe(200);
        expect(list.json.variables).toEqual([]);
      }
      const put = await send('PUT', `${exec(execution)}/variables/user`, { value: { name: 'Dee' }, source_step_index: 1 });
      expect(put.status).toBe(201);
      expect(put.json.version).toBe(1);
      for (let i = 0; i < 4; i += 1) expect((await send('GET', `${exec(execution)}/variables/user`)).json.value).toEqual({ name: 'Dee' });
    },
  );
});

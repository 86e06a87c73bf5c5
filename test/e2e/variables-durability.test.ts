/**
 * Durability end to end (API.md §2 "Nothing is stored…", §7): read-your-writes across
 * LOCAL_INSTANCES workers, persistence across a restart on the same DATA_DIR, a clean SIGTERM
 * shutdown (exit code 0) that keeps every acknowledged write, 300 concurrent stores and
 * concurrent overwrites.
 *
 * The tests run in order and share one data directory; one server runs at a time:
 * first with two instances (writes, then SIGTERM with writes in flight), then a single instance
 * on the same DATA_DIR (read back, then the concurrency tests).
 */
import { rmSync } from 'node:fs';
import { api, startLocalServer, temporaryDataDir, type LocalServer } from '../support/local-server';
import {
  etagVersion,
  expectAbsent,
  expectSameString,
  expectStatus,
  listAll,
  MIB,
  newExecutionId,
  putVariable,
  rawRequest,
  stringOfJsonBytes,
  variablePath,
  variablesPath,
  type Call,
  type RawResponse,
} from './support';

const dataDir = temporaryDataDir();
let server: LocalServer;
let call: Call;

async function start(env: Record<string, string> = {}): Promise<void> {
  server = await startLocalServer({ STORAGE: '', DATA_DIR: dataDir, ...env });
  call = api(server.baseUrl);
}

const running = (): boolean => server !== undefined && server.process.exitCode === null && server.process.signalCode === null;

beforeAll(async () => {
  await start({ LOCAL_INSTANCES: '2' });
}, 90_000);

afterAll(async () => {
  if (server) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

/** Waits (≤ 20 s) until the server acknowledges a small write; starts one on DATA_DIR if none runs. */
async function untilWritable(): Promise<void> {
  if (!running()) await start();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const probe = await putVariable(call, newExecutionId('dur-probe'), 'probe', 1).catch(() => undefined);
    if (probe && probe.status === 201) return;
    if (Date.now() > deadline) throw new Error(`server does not accept writes: ${probe?.status} ${probe?.text.slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const persistExec = newExecutionId('dur-persist');
const inflightExec = newExecutionId('dur-inflight');
const persisted = new Map<string, { json: any; text: string; etag: string | null }>();
let persistedList: any;
let acknowledged: number[] = [];
const big = stringOfJsonBytes(MIB, '中');
const bigObject = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, stringOfJsonBytes(10_000, 'é')]));
const inflightValue = (i: number): string => stringOfJsonBytes(20_000 + i);

describe('two instances, then a restart on the same DATA_DIR', () => {
  test('with two instances, every write is visible to the next read on any instance', async () => {
    const exec = newExecutionId('dur-instances');
    const path = variablePath(exec, 'shared');
    for (let i = 1; i <= 10; i += 1) {
      // Fresh connections spread requests over both workers; each warms its own cache with reads.
      const warm = await rawRequest(server.baseUrl, 'GET', path);
      expect([200, 404]).toContain(warm.status);
      const write = await rawRequest(server.baseUrl, 'PUT', path, JSON.stringify({ value: { i }, source_step_index: 1 }), {
        'content-type': 'application/json',
      });
      expect({ i, status: write.status }).toEqual({ i, status: i === 1 ? 201 : 200 });
      for (let r = 0; r < 2; r += 1) {
        const read = await rawRequest(server.baseUrl, 'GET', path);
        expect({ i, r, status: read.status, value: read.json?.value, version: read.json?.version }).toEqual({
          i,
          r,
          status: 200,
          value: { i },
          version: i,
        });
        const list = await rawRequest(server.baseUrl, 'GET', `${variablesPath(exec)}?include_values=true`);
        expect({ i, r, value: list.json?.variables?.[0]?.value }).toEqual({ i, r, value: { i } });
      }
    }
    const deleted = await rawRequest(server.baseUrl, 'DELETE', path);
    expect(deleted.status).toBe(204);
    for (let r = 0; r < 4; r += 1) expect((await rawRequest(server.baseUrl, 'GET', path)).status).toBe(404);
  });

  test('writes are acknowledged; SIGTERM with writes in flight exits with code 0', async () => {
    try {
      await writeAndCapture();
      const baseUrl = server.baseUrl;
      const inflight = Array.from({ length: 40 }, (_, i) =>
        rawRequest(baseUrl, 'PUT', variablePath(inflightExec, `w${i}`), JSON.stringify({ value: inflightValue(i), source_step_index: i }), {
          'content-type': 'application/json',
        }).then(
          (response): RawResponse | undefined => response,
          () => undefined,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      const code = await server.stop('SIGTERM');
      const results = await Promise.all(inflight);
      acknowledged = results
        .map((response, i) => (response && response.status >= 200 && response.status < 300 ? i : -1))
        .filter((i) => i >= 0);
      for (const response of results) if (response) expect([201, 503]).toContain(response.status);
      expect(code).toBe(0);
    } finally {
      // Never leave a server holding DATA_DIR for the restart below.
      if (running()) await server.stop('SIGKILL');
    }
  }, 60_000);

  async function writeAndCapture(): Promise<void> {
    const writes: Array<[string, unknown, Record<string, unknown>]> = [
      ['small', 'hello', { source_step_index: 0, source_api_method: 'aiString', source_api_params: { prompt: 'greet' } }],
      ['nothing', null, { source_step_index: 1 }],
      ['big', big, { source_step_index: 2 }],
      ['big_object', bigObject, { source_step_index: 3 }],
      ['secret', 'pw-123', { source_step_index: 4, sensitive: true }],
      ['unicode', { 商品: ['😀', 'ü'], n: 9007199254740992 }, { source_step_index: 5 }],
      ['overwritten', 'first', { source_step_index: 6 }],
      ['deleted', 'gone', { source_step_index: 7 }],
    ];
    for (const [name, value, fields] of writes) expectStatus(await putVariable(call, persistExec, name, value, fields), 201);
    expectStatus(
      await call(
        'PUT',
        variablePath(persistExec, '__proto__'),
        '{"value": {"__proto__": {"x": 1}, "constructor": 2}, "source_step_index": 8}',
      ),
      201,
    );
    expectStatus(await putVariable(call, persistExec, 'overwritten', 'second', { source_step_index: 6 }), 200);
    expectStatus(await call('DELETE', variablePath(persistExec, 'deleted')), 204);

    for (const name of ['small', 'nothing', 'big', 'big_object', 'secret', 'unicode', 'overwritten', '__proto__']) {
      const read = await call('GET', variablePath(persistExec, name));
      expectStatus(read, 200);
      persisted.set(name, { json: read.json, text: read.text, etag: read.headers.get('etag') });
    }
    persistedList = (await call('GET', `${variablesPath(persistExec)}?include_values=true`)).json;
    expect(persistedList.count).toBe(8);
  }

  test('after a restart on the same DATA_DIR everything reads back identical, acknowledged in-flight writes included', async () => {
    await start();
    expect(persisted.size).toBe(8);
    for (const [name, before] of persisted) {
      const read = await call('GET', variablePath(persistExec, name));
      expectStatus(read, 200);
      if (name === 'big') {
        expectSameString(read.json.value, big);
        expect({ ...read.json, value: '' }).toEqual({ ...before.json, value: '' });
      } else {
        expectSameString(read.text, before.text);
      }
      expect(read.headers.get('etag')).toBe(before.etag);
    }
    expect(persisted.get('overwritten')!.json.version).toBe(2);
    expect(persisted.get('secret')!.json.value).toBe('pw-123');
    expect(persisted.get('__proto__')!.text).toContain('"value":{"__proto__":{"x":1},"constructor":2}');
    await expectAbsent(call, persistExec, 'deleted');
    const list = await call('GET', `${variablesPath(persistExec)}?include_values=true`);
    expect(list.json).toEqual(persistedList);

    for (const i of acknowledged) {
      const read = await call('GET', variablePath(inflightExec, `w${i}`));
      expectStatus(read, 200);
      expectSameString(read.json.value, inflightValue(i));
    }

    const next = await putVariable(call, persistExec, 'overwritten', 'third', { source_step_index: 6 });
    expectStatus(next, 200);
    expect(next.json.version).toBe(3);
    expect(next.json.created_at).toBe(persisted.get('overwritten')!.json.created_at);
    expect(etagVersion(next)).toBe(3);
  }, 90_000);
});

describe('concurrency', () => {
  // A failure above must not leave these tests judging a stopped or tripped server: each starts
  // from a server that accepts writes (API.md §6: the service recovers by itself).
  beforeEach(async () => {
    await untilWritable();
  }, 90_000);

  test('300 concurrent PUTs into one execution are all acknowledged and all listed in step order', async () => {
    const exec = newExecutionId('dur-300');
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        putVariable(call, exec, `v_${i}`, { i, text: `value ${i}` }, { source_step_index: (i * 37) % 50 }),
      ),
    );
    const statuses: Record<number, number> = {};
    for (const response of responses) statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    const failure = responses.find((response) => response.status !== 201);
    expect({ statuses, first_failure: failure?.text.slice(0, 200) }).toEqual({ statuses: { 201: 300 }, first_failure: undefined });
    for (const [i, response] of responses.entries()) {
      expect(response.json.variable_name).toBe(`v_${i}`);
      expect(response.json.version).toBe(1);
    }
    const list = await call('GET', `${variablesPath(exec)}?limit=1000&include_values=true`);
    expectStatus(list, 200);
    expect(list.json.count).toBe(300);
    expect(list.json.next_cursor).toBeNull();
    const items = list.json.variables;
    expect(new Set(items.map((v: any) => v.variable_name)).size).toBe(300);
    for (let i = 1; i < items.length; i += 1) expect(items[i].source_step_index).toBeGreaterThanOrEqual(items[i - 1].source_step_index);
    for (const item of items) {
      const i = Number(item.variable_name.slice(2));
      expect(item.value).toEqual({ i, text: `value ${i}` });
      expect(item.source_step_index).toBe((i * 37) % 50);
    }
  });

  test('50 concurrent writes to one name: every write acknowledged, one creates, versions 1..50 each exactly once', async () => {
    const exec = newExecutionId('dur-same');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => putVariable(call, exec, 'contended', i, { source_step_index: i })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 200 || status === 201)).toBe(true);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    const versions = responses.map((response) => response.json.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const read = await call('GET', variablePath(exec, 'contended'));
    expect(read.json.version).toBe(50);
    const winner = responses.find((response) => response.json.version === 50)!;
    expect(read.json.value).toBe(winner.json.source_step_index);
    expect(read.json.updated_at).toBe(winner.json.updated_at);
  });

  test('concurrent batches of distinct names all land', async () => {
    const exec = newExecutionId('dur-batches');
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, b) =>
        call('POST', variablesPath(exec), {
          variables: Array.from({ length: 60 }, (_, i) => ({ variable_name: `b${b}_${i}`, value: [b, i], source_step_index: i })),
        }),
      ),
    );
    expect(responses.map((response) => `${response.status} ${response.status === 200 ? '' : response.text.slice(0, 160)}`.trim())).toEqual([
      '200',
      '200',
      '200',
      '200',
      '200',
    ]);
    const pages = await listAll(call, exec, 'limit=1000');
    expect(pages.flatMap((page) => page.variables)).toHaveLength(300);
  });

  test('a 2xx write is visible to the very next read, including 1 MiB values', async () => {
    const exec = newExecutionId('dur-ryw');
    for (let i = 0; i < 6; i += 1) {
      const value = i % 2 === 0 ? stringOfJsonBytes(MIB, String.fromCharCode(65 + i)) : { small: i };
      const write = await putVariable(call, exec, 'x', value, { source_step_index: i });
      expectStatus(write, i === 0 ? 201 : 200);
      const read = await call('GET', variablePath(exec, 'x'));
      expect(read.json.version).toBe(i + 1);
      if (typeof value === 'string') expectSameString(read.json.value, value);
      else expect(read.json.value).toEqual(value);
    }
  });
});

describe('shutdown of the default single instance', () => {
  test('SIGTERM while writes are in flight exits with code 0, finishes them, and keeps every acknowledged write', async () => {
    if (!running()) await start();
    const exec = newExecutionId('dur-single-sigterm');
    const baseUrl = server.baseUrl;
    const errors: string[] = [];
    const inflight = Array.from({ length: 40 }, (_, i) =>
      rawRequest(baseUrl, 'PUT', variablePath(exec, `w${i}`), JSON.stringify({ value: inflightValue(i), source_step_index: i }), {
        'content-type': 'application/json',
      }).then(
        (response): RawResponse | undefined => response,
        (error: NodeJS.ErrnoException) => {
          errors.push(error.code ?? error.message);
          return undefined;
        },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const code = await server.stop('SIGTERM');
    const results = await Promise.all(inflight);
    const ackedHere = results
      .map((response, i) => (response && response.status >= 200 && response.status < 300 ? i : -1))
      .filter((i) => i >= 0);
    const graceful = /SIGTERM received/.test(server.output());
    expect({ code, graceful }).toEqual({ code: 0, graceful: true });
    // Requests the server had already read must be answered, not cut off.
    expect(errors.filter((error) => error === 'ECONNRESET')).toEqual([]);

    await start();
    for (const i of ackedHere) {
      const read = await call('GET', variablePath(exec, `w${i}`));
      expectStatus(read, 200);
      expectSameString(read.json.value, inflightValue(i));
    }
  }, 90_000);
});

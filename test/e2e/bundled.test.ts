import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { api, type LocalServer, startLocalServer } from '../support/local-server';
import { checkedFetch } from '../support/contract-http';
import { startRedisServer, type PrivateRedis } from '../support/redis-server';
import { newExecutionId, variablePath } from './support';

const run = promisify(execFile);
/** What one function's bundle may weigh: Lambda loads and compiles all of it at every cold start. */
const MAX_BUNDLE_BYTES = 500 * 1024;
const ROOT = path.resolve(__dirname, '../..');
const SMOKE = path.join(ROOT, 'scripts/smoke.mjs');
const TOKEN = 'bundled-token';
/** Requests per client per minute: room for the checks before the rate-limit one, which then goes over it. */
const RATE_LIMIT = 40;

/**
 * The built function bundles (ESM, the one build of scripts/bundle-functions.ts that the CDK runs)
 * behind the local server (BUNDLED=1), with Redis and the rate limit on: a packaging mistake — a
 * module the bundle cannot load, a `require` an ES module cannot make, code that only works
 * unbundled, a trimmed-out part (lib/constructs/bundle-trims.ts) that is reached after all — fails
 * here instead of after a deploy. Each bundle has its own module state, as separate functions do.
 */
describe('BUNDLED=1: the local server runs the built function bundles, with Redis', () => {
  let server: LocalServer;
  let redis: PrivateRedis;
  let bundleDir: string;
  let manifest: { operation: string; file: string; bytes: number }[];
  let call: ReturnType<typeof api>;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    bundleDir = mkdtempSync(path.join(tmpdir(), 'variable-service-bundles-'));
    redis = await startRedisServer();
    await run(process.execPath, ['--import', 'tsx', 'scripts/bundle-functions.ts', bundleDir], { cwd: ROOT, timeout: 600_000 });
    manifest = JSON.parse(readFileSync(path.join(bundleDir, 'manifest.json'), 'utf8'));
    server = await startLocalServer({
      BUNDLED: '1',
      BUNDLE_DIR: bundleDir,
      API_TOKEN: TOKEN,
      REDIS_URL: redis.url,
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    });
    call = api(server.baseUrl);
  }, 660_000);

  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  it('builds one ES module per route, the fallback and the purge function, each at most 500 KB (issue 12)', () => {
    expect(manifest.map((entry) => entry.operation)).toEqual(
      expect.arrayContaining(['GetVariable', 'StoreVariable', 'Health', 'OpenApi', 'Fallback', 'PurgeExecution']),
    );
    for (const entry of manifest) {
      expect(entry.file).toMatch(/\.mjs$/);
      expect({ operation: entry.operation, withinBudget: entry.bytes <= MAX_BUNDLE_BYTES }).toEqual({
        operation: entry.operation,
        withinBudget: true,
      });
    }
  });

  it('passes the deploy smoke checks served by the bundles: health, OpenAPI, 401, store/get/resolve, delete', async () => {
    expect(server.output()).toMatch(/listening on/);
    const { stdout } = await run(process.execPath, [SMOKE, `${server.baseUrl}/`, TOKEN], {
      env: { ...process.env, SMOKE_TOKEN: '' },
    });
    expect(stdout).toMatch(/^ok /m);
    expect(stdout).not.toMatch(/^not ok/m);
  });

  it('answers health from the Health bundle, which asks Redis with its own PING (it holds no cache)', async () => {
    const health = await call('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', checks: { cache: { status: 'ok', l1: { bytes: 0 }, l2: { status: 'ok' } } } });
  });

  it('reads through Redis with the trimmed ioredis: one bundle fills L2, another bundle (an empty L1) reads it from there', async () => {
    const execution = newExecutionId('bundled-l2');
    expect((await call('PUT', variablePath(execution, 'city'), { value: 'Lyon', source_step_index: 0 }, auth)).status).toBe(201);
    // ListVariables loads the snapshot from the database and puts it into Redis (not on the answer's path: wait for it).
    expect((await call('GET', `/api/v1/executions/${execution}/variables`, undefined, auth)).status).toBe(200);
    const keys = await until(async () => {
      const reply = await redis.command('KEYS', `snap:${execution}:*`);
      return reply.includes('snap:') ? reply : undefined;
    });
    const snapshotKey = /snap:[^\r\n]+/.exec(keys)![0];
    // The Resolve bundle has never seen this execution: its read is a GET of that key in Redis.
    const getOfTheSnapshot = (command: string) => /"get"/i.test(command) && command.includes(`"${snapshotKey}"`);
    const resolved = await watchingRedis(
      redis.port,
      () => call('POST', `/api/v1/executions/${execution}/resolve`, { step_index: 1, text: 'in ${city}' }, auth),
      getOfTheSnapshot,
    );
    expect(resolved.result.status).toBe(200);
    expect(resolved.result.json.text).toBe('in Lyon');
    expect(resolved.seen).toBe(true);
  });

  it('remembers an Idempotency-Key in the write bundle (Powertools idempotency with the single-field JMESPath stand-in)', async () => {
    const execution = newExecutionId('bundled-idem');
    const headers = { ...auth, 'Idempotency-Key': `bundled-${execution}` };
    const first = await call('PUT', variablePath(execution, 'x'), { value: { a: 1 }, source_step_index: 0 }, headers);
    expect(first.status).toBe(201);
    const repeat = await call('PUT', variablePath(execution, 'x'), { source_step_index: 0, value: { a: 1 } }, headers);
    expect(repeat.status).toBe(201);
    expect(repeat.json).toEqual(first.json);
    const reused = await call('PUT', variablePath(execution, 'x'), { value: { a: 2 }, source_step_index: 0 }, headers);
    expect(reused.status).toBe(422);
    expect(reused.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers unknown routes from the fallback bundle in the error shape', async () => {
    const response = await checkedFetch(new Request(`${server.baseUrl}/api/v1/no-such-route`, { headers: auth }));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  });

  // Last: afterwards this client is over its limit for the rest of the minute.
  it('counts the rate limit in Redis across bundles: a client over two routes is refused past their shared limit', async () => {
    const execution = newExecutionId('bundled-rate');
    const paths = [variablePath(execution, 'missing'), `/api/v1/executions/${execution}/variables`];
    let firstRefusal = -1;
    for (let i = 0; i < RATE_LIMIT + 2 && firstRefusal < 0; i += 1) {
      const reply = await call('GET', paths[i % 2], undefined, auth);
      if (reply.status === 429) {
        firstRefusal = i;
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(reply.json.error.code).toBe('RATE_LIMITED');
      }
    }
    // Counted per bundle (in memory) the two routes would allow 2 × RATE_LIMIT; counted in Redis, RATE_LIMIT in all.
    expect(firstRefusal).toBeGreaterThanOrEqual(0);
    expect(firstRefusal).toBeLessThanOrEqual(RATE_LIMIT);
    expect(await redis.command('KEYS', 'rate:*')).toMatch(/rate:/);
  });
});

async function until<T>(probe: () => Promise<T | undefined>, withinMs = 5000): Promise<T> {
  for (const end = Date.now() + withinMs; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error('condition not met in time');
}

/**
 * Runs `action` while a MONITOR connection records every command Redis executes (one line each);
 * `seen` tells whether a line matching `expected` arrived (MONITOR lines may trail the HTTP answer
 * they fed by a moment, so they are awaited for up to two seconds).
 */
async function watchingRedis<T>(
  port: number,
  action: () => Promise<T>,
  expected: (command: string) => boolean,
): Promise<{ result: T; seen: boolean }> {
  const socket = connect({ host: '127.0.0.1', port });
  let lines = '';
  socket.on('data', (chunk) => {
    lines += chunk.toString();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => socket.write('*1\r\n$7\r\nMONITOR\r\n'));
      const started = (): void => (lines.startsWith('+OK\r\n') ? resolve() : void setTimeout(started, 10));
      started();
    });
    const result = await action();
    const seen = await until(async () => (lines.split('\r\n').some(expected) ? true : undefined), 2000).catch(() => false);
    return { result, seen };
  } finally {
    socket.destroy();
  }
}

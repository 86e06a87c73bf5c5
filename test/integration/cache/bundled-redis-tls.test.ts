/**
 * The trimmed ioredis of the function bundles (lib/constructs/bundle-trims.ts) over TLS with a
 * password, the way a deployed function reaches ElastiCache Serverless (rediss://): the L2 cache,
 * the rate limiter's counter in Redis and health's own PING, built with the functions' esbuild
 * options (test/fixtures/bundled-redis/probe.ts) and run in a process of their own against a TLS
 * redis-server whose certificate is signed by this test's own CA (NODE_EXTRA_CA_CERTS). Plain
 * redis:// through the bundles is covered by test/e2e/bundled.test.ts.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../../../lib/constructs/function-bundling';
import { freePort } from '../../support/local-server';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const PASSWORD = 's3cr%et';

let dir: string;
let redis: ChildProcess | undefined;
let url: string;

function certificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=probe-ca');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  );
}

async function startTlsRedis(port: number): Promise<ChildProcess> {
  const at = (file: string) => path.join(dir, file);
  const config = [
    'port 0',
    `tls-port ${port}`,
    'bind 127.0.0.1',
    `tls-cert-file ${at('server.crt')}`,
    `tls-key-file ${at('server.key')}`,
    `tls-ca-cert-file ${at('ca.crt')}`,
    'tls-auth-clients no',
    'save ""',
    'appendonly no',
    `requirepass "${PASSWORD}"`,
  ];
  writeFileSync(at('redis.conf'), `${config.join('\n')}\n`);
  const child = spawn('redis-server', [at('redis.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server (TLS) did not start: ${output}`)), 15_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', () => reject(new Error(`redis-server (TLS) exited: ${output}`)));
  });
  return child;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bundled-redis-tls-'));
  certificates();
  const port = await freePort();
  redis = await startTlsRedis(port);
  url = `rediss://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`;
  await build({
    ...esbuildOptionsFor(),
    absWorkingDir: ROOT,
    entryPoints: [path.join(ROOT, 'test/fixtures/bundled-redis/probe.ts')],
    outfile: path.join(dir, 'probe.mjs'),
    logLevel: 'error',
  });
}, 60_000);

afterAll(() => {
  redis?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('caches, counts the rate limit and answers health over rediss:// with a password, through the trimmed client', async () => {
  const { stdout } = await run(process.execPath, [path.join(dir, 'probe.mjs'), url], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.crt') },
    timeout: 30_000,
  });
  expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
    state: 'ok',
    got: 'stored',
    decisions: [true, true, true, false, false],
    ownPing: 'ok',
    errors: [],
  });
});

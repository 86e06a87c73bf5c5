import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type LocalServer, startLocalServer } from '../support/local-server';
import { checkedFetch } from '../support/contract-http';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const SMOKE = path.join(ROOT, 'scripts/smoke.mjs');

/**
 * The built function bundles (ESM, the CDK's esbuild options) behind the local server
 * (BUNDLED=1): a packaging mistake — a module the bundle cannot load, a `require` an ES module
 * cannot make, code that only works unbundled — fails here instead of after a deploy.
 */
describe('BUNDLED=1: the local server runs the built function bundles', () => {
  let server: LocalServer;
  let bundleDir: string;
  let manifest: { operation: string; file: string; bytes: number }[];

  beforeAll(async () => {
    bundleDir = mkdtempSync(path.join(tmpdir(), 'variable-service-bundles-'));
    await run(process.execPath, ['--import', 'tsx', 'scripts/bundle-functions.ts', bundleDir], { cwd: ROOT, timeout: 600_000 });
    manifest = JSON.parse(readFileSync(path.join(bundleDir, 'manifest.json'), 'utf8'));
    server = await startLocalServer({ BUNDLED: '1', BUNDLE_DIR: bundleDir, API_TOKEN: 'bundled-token' });
  }, 660_000);

  afterAll(async () => {
    await server?.stop();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  it('builds one ES module per route and the fallback', () => {
    expect(manifest.map((entry) => entry.operation)).toEqual(
      expect.arrayContaining(['GetVariable', 'StoreVariable', 'Health', 'OpenApi', 'Fallback']),
    );
    for (const entry of manifest) expect(entry.file).toMatch(/\.mjs$/);
  });

  it('passes the deploy smoke checks served by the bundles: health, OpenAPI, 401, store/get/resolve, delete', async () => {
    expect(server.output()).toMatch(/listening on/);
    const { stdout } = await run(process.execPath, [SMOKE, `${server.baseUrl}/`, 'bundled-token'], {
      env: { ...process.env, SMOKE_TOKEN: '' },
    });
    expect(stdout).toMatch(/^ok /m);
    expect(stdout).not.toMatch(/^not ok/m);
  });

  it('answers unknown routes from the fallback bundle in the error shape', async () => {
    const response = await checkedFetch(
      new Request(`${server.baseUrl}/api/v1/no-such-route`, { headers: { authorization: 'Bearer bundled-token' } }),
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  });
});

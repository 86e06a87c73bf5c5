import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { type LocalServer, startLocalServer } from '../support/local-server';

const run = promisify(execFile);
const SMOKE = path.resolve(__dirname, '../../scripts/smoke.mjs');

/** Runs the deploy pipeline's smoke script as CI does after `cdk deploy`, here against `npm start`. */
async function smoke(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [SMOKE, ...args], { env: { ...process.env, SMOKE_TOKEN: '' } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe('scripts/smoke.mjs against the local server (API_TOKEN mode, as a deployed stage needs a token)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ API_TOKEN: 'smoke-token' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('passes every check with the token: health, OpenAPI, 401 without it, store/get/resolve, delete', async () => {
    const { code, stdout } = await smoke(`${server.baseUrl}/`, 'smoke-token');
    expect(code).toBe(0);
    for (const name of [
      'health answers 200',
      'the OpenAPI document is served',
      'a protected route refuses a request without the token',
      'store a variable',
      'get it back',
      'resolve a reference to it',
      'delete the execution',
    ]) {
      expect(stdout).toMatch(new RegExp(`^ok \\d+ - ${name}`, 'm'));
    }
    expect(stdout).not.toContain('smoke-token');
  });

  it('fails (exit 1) with a wrong token, at the first refused write', async () => {
    const { code, stdout } = await smoke(server.baseUrl, 'not-the-token');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^not ok 4 - store a variable: status 401/m);
  });

  it('fails against something that is not the service', async () => {
    const { code, stdout } = await smoke('http://127.0.0.1:9');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^not ok 1 - health answers 200/m);
  });
});

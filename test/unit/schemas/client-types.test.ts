/**
 * The typed client (clients/typescript) is generated from the document the service serves: when a
 * route changes and `npm run generate:client` was not run, this fails. (openapi-typescript is ESM
 * with ESM dependencies, so the check runs in its own Node process, as the script itself does.)
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');

test('clients/typescript/openapi.json and src/schema.d.ts are what `npm run generate:client` writes today', async () => {
  const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/generate-client.ts', '--check'], {
    cwd: ROOT,
  }).catch((error: { stdout: string; stderr: string }) => {
    throw new Error(`${error.stdout}${error.stderr}`);
  });
  expect(result.stdout).toContain('up to date');
}, 60_000);

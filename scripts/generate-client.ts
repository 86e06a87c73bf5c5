/**
 * `npm run generate:client`: writes the OpenAPI document the service serves (from the route table)
 * to clients/typescript/openapi.json and generates the client's types from it with
 * openapi-typescript. With `--check` it writes nothing and exits 1 when the committed files differ
 * (test/unit/schemas/client-types.test.ts runs that), so a route change cannot leave the client behind.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clientArtifacts } from './client-artifacts';

const ROOT = path.resolve(__dirname, '..');
const FILES = { documentText: 'clients/typescript/openapi.json', typesText: 'clients/typescript/src/schema.d.ts' } as const;

function read(file: string): string | undefined {
  try {
    return readFileSync(path.join(ROOT, file), 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const artifacts = await clientArtifacts();
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [key, file] of Object.entries(FILES) as Array<[keyof typeof FILES, string]>) {
    if (check) {
      if (read(file) !== artifacts[key]) stale.push(file);
    } else writeFileSync(path.join(ROOT, file), artifacts[key]);
  }
  if (stale.length > 0) {
    process.stderr.write(`stale: ${stale.join(', ')} — run \`npm run generate:client\` and commit the result\n`);
    process.exit(1);
  }
  process.stdout.write(check ? 'typed client is up to date\n' : `${Object.values(FILES).join(' and ')} regenerated\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

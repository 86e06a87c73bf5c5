/**
 * Builds every function of the route table (and the fallback) the way the CDK stack bundles it
 * (lib/constructs/function-bundling.ts holds the one set of esbuild options), into
 * dist/functions/<Operation>/index.<ext>. `BUNDLED=1 npm start` serves these files and
 * `npm run load -- cost` measures their size and init time, so a packaging mistake shows up
 * locally, not at deploy.
 *
 * Usage: node --import tsx scripts/bundle-functions.ts [outDir]
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { FALLBACK_ROUTE, ROUTES } from '#functions/routes';
import { esbuildOptionsFor, BUNDLE_EXTENSION } from '../lib/constructs/function-bundling';

const root = path.resolve(__dirname, '..');
export const DEFAULT_BUNDLE_DIR = path.join(root, 'dist', 'functions');

export interface BuiltFunction {
  operation: string;
  handler: string;
  file: string;
  bytes: number;
}

/** Builds every function into outDir; returns what it wrote (also in outDir/manifest.json). */
export async function bundleFunctions(outDir: string = DEFAULT_BUNDLE_DIR): Promise<BuiltFunction[]> {
  rmSync(outDir, { recursive: true, force: true });
  const entries = [
    ...ROUTES.map((r) => ({ operation: r.operation, handler: r.handler })),
    { operation: FALLBACK_ROUTE.operation, handler: FALLBACK_ROUTE.handler },
  ];
  const built: BuiltFunction[] = [];
  await Promise.all(
    entries.map(async ({ operation, handler }) => {
      const file = path.join(outDir, operation, `index.${BUNDLE_EXTENSION}`);
      mkdirSync(path.dirname(file), { recursive: true });
      await build({
        ...esbuildOptionsFor(),
        absWorkingDir: root,
        entryPoints: [path.join(root, 'functions', 'handlers', `${handler}.ts`)],
        outfile: file,
        logLevel: 'error',
      });
      built.push({ operation, handler, file: path.relative(outDir, file), bytes: statSync(file).size });
    }),
  );
  built.sort((a, b) => a.operation.localeCompare(b.operation));
  writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(built, null, 2)}\n`);
  return built;
}

async function main(): Promise<void> {
  const built = await bundleFunctions(path.resolve(process.argv[2] ?? DEFAULT_BUNDLE_DIR));
  for (const f of built) process.stdout.write(`${f.operation.padEnd(20)} ${(f.bytes / 1024).toFixed(0).padStart(6)} KB  ${f.file}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}

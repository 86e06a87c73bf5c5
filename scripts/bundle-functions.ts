/**
 * Builds every function of the route table (and the fallback) the way the CDK stack bundles it
 * (lib/constructs/function-bundling.ts holds the one set of esbuild options), into
 * dist/functions/<Operation>/index.<ext>. `BUNDLED=1 npm start` serves these files and
 * `npm run load -- cost` measures their size and init time, so a packaging mistake shows up
 * locally, not at deploy.
 *
 * Usage: node --import tsx scripts/bundle-functions.ts [outDir]
 * `BUNDLE_IN_PROCESS_TRACER=1` builds as a stage with `inProcessTracing: true` does (the Powertools
 * Tracer and the X-Ray SDK inside); by default they are left out, as in every stage's default.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { FALLBACK_ROUTE, ROUTES } from '#functions/routes';
import { esbuildOptionsFor, BUNDLE_EXTENSION } from '../lib/constructs/function-bundling';

const root = path.resolve(__dirname, '..');
export const DEFAULT_BUNDLE_DIR = path.join(root, 'dist', 'functions');

export interface BuiltFunction {
  operation: string;
  handler: string;
  file: string;
  bytes: number;
  /** What the bundle is made of: bytes in the output per npm package (or `service` for this repository's code), largest first. */
  composition: { source: string; bytes: number }[];
}

/** `node_modules/@scope/name/…` → `@scope/name`; anything outside node_modules is the service's own code. */
function sourceOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return 'service';
  const [first, second] = input.slice(at + 'node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function compositionOf(metafile: Metafile, outfile: string): BuiltFunction['composition'] {
  const output = Object.entries(metafile.outputs).find(([name]) => path.resolve(root, name) === outfile)?.[1];
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {}))
    bytes.set(sourceOf(input), (bytes.get(sourceOf(input)) ?? 0) + bytesInOutput);
  return [...bytes.entries()].map(([source, n]) => ({ source, bytes: n })).sort((a, b) => b.bytes - a.bytes);
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
      const { metafile } = await build({
        ...esbuildOptionsFor({ inProcessTracing: process.env.BUNDLE_IN_PROCESS_TRACER === '1' }),
        absWorkingDir: root,
        entryPoints: [path.join(root, 'functions', 'handlers', `${handler}.ts`)],
        outfile: file,
        logLevel: 'error',
        metafile: true,
      });
      // esbuild's own analyser reads this file (https://esbuild.github.io/analyze/).
      writeFileSync(path.join(path.dirname(file), 'meta.json'), JSON.stringify(metafile));
      built.push({
        operation,
        handler,
        file: path.relative(outDir, file),
        bytes: statSync(file).size,
        composition: compositionOf(metafile, file),
      });
    }),
  );
  built.sort((a, b) => a.operation.localeCompare(b.operation));
  writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(built, null, 2)}\n`);
  return built;
}

async function main(): Promise<void> {
  const built = await bundleFunctions(path.resolve(process.argv[2] ?? DEFAULT_BUNDLE_DIR));
  for (const f of built) {
    const largest = f.composition
      .slice(0, 5)
      .map((c) => `${c.source} ${(c.bytes / 1024).toFixed(0)}`)
      .join(', ');
    process.stdout.write(`${f.operation.padEnd(20)} ${(f.bytes / 1024).toFixed(0).padStart(6)} KB  ${f.file}  (KB: ${largest})\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}

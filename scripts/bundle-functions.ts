/**
 * The one build of the functions (esbuild's JS API with the options and plugins of
 * lib/constructs/function-bundling.ts). The CDK stack runs it for each function's code asset
 * (functionCode() there), `BUNDLED=1 npm start` serves what it writes and `npm run load -- cost`
 * measures their size and init time, so a packaging mistake shows up locally, not at deploy.
 *
 * Usage:
 *   node --import tsx scripts/bundle-functions.ts [outDir]
 *     every function of the route table and the fallback, into outDir/<Operation>/index.<ext>
 *     (default dist/functions), with meta.json per function and manifest.json for all;
 *   node --import tsx scripts/bundle-functions.ts --handler <module> --out <dir> [--in-process-tracing]
 *     one function (a module under functions/handlers/, e.g. `variables/get-variable`) into
 *     dir/index.<ext> and its source map: what the CDK asks for.
 * `BUNDLE_IN_PROCESS_TRACER=1` (or `--in-process-tracing`) builds as a stage with `inProcessTracing: true`
 * does (the Powertools Tracer and the X-Ray SDK inside); by default they are left out, as in every stage's default.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { type BundleChoices, BUNDLE_EXTENSION, esbuildOptionsFor, PURGE_FUNCTION } from '../lib/constructs/function-bundling';

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

/** Builds one function (a module under functions/handlers/, without extension) into `outfile`; returns esbuild's metafile. */
export async function bundleFunction(handler: string, outfile: string, choices: BundleChoices = {}): Promise<Metafile> {
  mkdirSync(path.dirname(outfile), { recursive: true });
  const { metafile } = await build({
    ...esbuildOptionsFor(choices),
    absWorkingDir: root,
    entryPoints: [path.join(root, 'functions', 'handlers', `${handler}.ts`)],
    outfile,
    logLevel: 'error',
    metafile: true,
  });
  return metafile;
}

/** Builds every function into outDir; returns what it wrote (also in outDir/manifest.json). */
export async function bundleFunctions(outDir: string = DEFAULT_BUNDLE_DIR): Promise<BuiltFunction[]> {
  rmSync(outDir, { recursive: true, force: true });
  // The route table only here: building one function (the CDK's call) need not load every route's schemas.
  const { FALLBACK_ROUTE, ROUTES } = await import('#functions/routes');
  const entries = [
    ...ROUTES.map((r) => ({ operation: r.operation, handler: r.handler })),
    { operation: FALLBACK_ROUTE.operation, handler: FALLBACK_ROUTE.handler },
    PURGE_FUNCTION,
  ];
  const built: BuiltFunction[] = [];
  await Promise.all(
    entries.map(async ({ operation, handler }) => {
      const file = path.join(outDir, operation, `index.${BUNDLE_EXTENSION}`);
      const metafile = await bundleFunction(handler, file, { inProcessTracing: process.env.BUNDLE_IN_PROCESS_TRACER === '1' });
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
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { handler: { type: 'string' }, out: { type: 'string' }, 'in-process-tracing': { type: 'boolean' } },
  });
  if (values.handler) {
    if (!values.out) throw new Error('--handler needs --out <dir>');
    // Only the flag: the CDK passes the stage's setting, and an exported BUNDLE_IN_PROCESS_TRACER must not change a deploy.
    const inProcessTracing = values['in-process-tracing'] === true;
    await bundleFunction(values.handler, path.join(path.resolve(values.out), `index.${BUNDLE_EXTENSION}`), { inProcessTracing });
    return;
  }
  const built = await bundleFunctions(path.resolve(positionals[0] ?? DEFAULT_BUNDLE_DIR));
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

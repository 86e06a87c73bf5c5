import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { AssetHashType, type BundlingOptions, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { BuildOptions } from 'esbuild';
import { bundleTrimsPlugin } from './bundle-trims';

/**
 * The one build definition of every function: these esbuild options (with the BUNDLE_TRIMS
 * plugin), run by scripts/bundle-functions.ts for the CDK stack (functionCode below),
 * `BUNDLED=1 npm start` and the cost harness alike.
 */
/** ESM: esbuild tree-shakes ES modules (the SDK's `module` builds) far better than CommonJS. */
/** The one function of the stack that is not an API route: the queued purge of a deleted execution (execution-purge.ts). */
export const PURGE_FUNCTION = { operation: 'PurgeExecution', handler: 'executions/purge-execution' } as const;

export const BUNDLE_FORMAT = 'esm' as const;
export const BUNDLE_EXTENSION = 'mjs';
export const BUNDLE_TARGET = 'node22';
/** CommonJS packages inside an ESM bundle still call `require` for Node's built-ins. */
export const BUNDLE_BANNER =
  "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);";
/**
 * Appended to every bundle: a top-level await of the work composition/init-work.ts registered (the
 * DynamoDB warm-up), so Lambda's init phase, not the first request, pays for it. Only the bundle has
 * it: jest and tsx load the modules without top-level await. The key is INIT_WORK_KEY.
 */
export const BUNDLE_FOOTER = 'await Promise.all(globalThis[Symbol.for("variable-service.init-work")] ?? []);';
/** Prefer packages' ES module builds (tree-shakeable) over their CommonJS ones. */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'];

/**
 * The one import path replaced inside the bundles (esbuild `alias`; the path is relative to the
 * repository root, where both the CDK and scripts/bundle-functions.ts run esbuild): the SDK's
 * default credential chain becomes the one link Lambda uses (lambda-env-credentials.ts).
 */
const CREDENTIAL_CHAIN = '@aws-sdk/credential-provider-node';
const LAMBDA_CREDENTIALS = './lib/constructs/lambda-env-credentials.ts';
export const BUNDLE_ALIASES: Record<string, string> = { [CREDENTIAL_CHAIN]: LAMBDA_CREDENTIALS };

/**
 * Build-time constants (esbuild `define`). `__IN_PROCESS_TRACER__` is the stage's `inProcessTracing`
 * (lib/stages.ts): with `false` the Powertools Tracer and the X-Ray SDK are folded out of the bundle
 * (functions/observability/powertools.ts), ≈ 120 KB and their async hooks on every promise.
 */
export function bundleDefines(inProcessTracing: boolean): Record<string, string> {
  return { __IN_PROCESS_TRACER__: String(inProcessTracing) };
}

export interface BundleChoices {
  /** The stage's `inProcessTracing`; off unless a stage turns it on. */
  inProcessTracing?: boolean;
}

export function esbuildOptionsFor(choices: BundleChoices = {}): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: BUNDLE_TARGET,
    format: BUNDLE_FORMAT,
    minify: true,
    // Linked, not inline: the map stays out of the code Node compiles at init; stack traces use it only with --enable-source-maps.
    sourcemap: true,
    sourcesContent: false,
    // Licence comments are kept in the packages in node_modules; in the bundle they are bytes Node parses at every cold start.
    legalComments: 'none',
    mainFields: BUNDLE_MAIN_FIELDS,
    alias: BUNDLE_ALIASES,
    plugins: [bundleTrimsPlugin()],
    banner: { js: BUNDLE_BANNER },
    footer: { js: BUNDLE_FOOTER },
    define: bundleDefines(choices.inProcessTracing ?? false),
  };
}

/**
 * A function's code for the CDK: the asset is what scripts/bundle-functions.ts builds for the
 * handler (index.mjs and its source map), the very build `BUNDLED=1 npm start` and the cost harness
 * use — esbuild's JS API with BUNDLE_TRIMS, which NodejsFunction's CLI flags cannot express. The
 * build runs at synth in a child Node with tsx (CDK's local bundling cannot await), once per
 * function and synth; no Docker fallback is offered: a failed build fails synth with esbuild's
 * message. A synth that skips bundling (`aws:cdk:bundling-stacks`, as the infra tests do) runs
 * nothing and points the asset at the repository root.
 */
export function functionCode(projectRoot: string, handler: string, inProcessTracing: boolean): lambda.Code {
  return lambda.Code.fromAsset(projectRoot, {
    // The hash of what was built, not of the repository root (which is never copied: the build reads it in place).
    assetHashType: AssetHashType.OUTPUT,
    bundling: functionBundling(projectRoot, handler, inProcessTracing),
  });
}

const BUILD_TIMEOUT_MS = 5 * 60_000;

/** The asset bundling of functionCode: its local build writes `index.mjs` and `index.mjs.map` into the asset directory. */
export function functionBundling(projectRoot: string, handler: string, inProcessTracing: boolean): BundlingOptions {
  const script = path.join(projectRoot, 'scripts', 'bundle-functions.ts');
  const args = ['--import', 'tsx', script, '--handler', handler, ...(inProcessTracing ? ['--in-process-tracing'] : [])];
  const local: ILocalBundling = {
    tryBundle(outputDir: string): boolean {
      const result = spawnSync(process.execPath, [...args, '--out', outputDir], {
        cwd: projectRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        // One function builds in seconds; a hung build must fail the synth, not hold it forever.
        timeout: BUILD_TIMEOUT_MS,
      });
      if (result.status !== 0)
        throw new Error(`bundling ${handler} failed: ${result.stderr || result.error?.message || `exit ${result.status}`}`);
      return true;
    },
  };
  return {
    local,
    // Required by the type, never pulled (tryBundle builds or throws). The command names the build, so each
    // function's asset differs from the others in CDK's staging cache, whose key ignores `local`.
    image: DockerImage.fromRegistry('unused-local-bundling-only'),
    command: ['node', ...args, '--out', '/asset-output'],
  };
}

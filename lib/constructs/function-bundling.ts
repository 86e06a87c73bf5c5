import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { bundleTrimsPlugin } from './bundle-trims';

/**
 * The one set of bundling options for every function: the CDK stack (api-functions.ts) passes
 * the same settings to NodejsFunction, and scripts/bundle-functions.ts builds with exactly these
 * for `BUNDLED=1 npm start` and the cost harness.
 */
/** ESM: esbuild tree-shakes ES modules (the SDK's `module` builds) far better than CommonJS. */
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
 * What NodejsFunction has no property for, as its `esbuildArgs` (esbuild CLI flags; the CDK runs
 * esbuild locally with the repository root as working directory, where the alias path resolves).
 */
export const BUNDLE_ESBUILD_ARGS: Record<string, string> = {
  '--alias': `${CREDENTIAL_CHAIN}=${LAMBDA_CREDENTIALS}`,
  '--legal-comments': 'none',
};

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

/** The NodejsFunction bundling of every function of the stack (API routes and the purge function). */
export function lambdaBundling(inProcessTracing: boolean): BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    // Stack traces need the mappings, not a copy of every bundled source file.
    sourcesContent: false,
    target: BUNDLE_TARGET,
    format: BUNDLE_FORMAT === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
    banner: BUNDLE_BANNER,
    footer: BUNDLE_FOOTER,
    mainFields: BUNDLE_MAIN_FIELDS,
    esbuildArgs: BUNDLE_ESBUILD_ARGS,
    define: bundleDefines(inProcessTracing),
    // Bundle AWS SDK v3 too: a pinned, tree-shaken client instead of whatever version the runtime carries.
    externalModules: [],
  };
}

import type { BuildOptions } from 'esbuild';

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
/** Prefer packages' ES module builds (tree-shakeable) over their CommonJS ones. */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'];

export function esbuildOptionsFor(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: BUNDLE_TARGET,
    format: BUNDLE_FORMAT,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: BUNDLE_MAIN_FIELDS,
    banner: { js: BUNDLE_BANNER },
  };
}

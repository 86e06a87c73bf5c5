import type { BuildOptions } from 'esbuild';

/**
 * The one set of bundling options for every function: the CDK stack (api-functions.ts) passes
 * the same settings to NodejsFunction, and scripts/bundle-functions.ts builds with exactly these
 * for `BUNDLED=1 npm start` and the cost harness.
 */
export const BUNDLE_FORMAT = 'cjs' as const;
export const BUNDLE_EXTENSION = BUNDLE_FORMAT === ('esm' as string) ? 'mjs' : 'js';
export const BUNDLE_TARGET = 'node22';
export const BUNDLE_BANNER = '';

export function esbuildOptionsFor(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: BUNDLE_TARGET,
    format: BUNDLE_FORMAT,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    ...(BUNDLE_BANNER ? { banner: { js: BUNDLE_BANNER } } : {}),
  };
}

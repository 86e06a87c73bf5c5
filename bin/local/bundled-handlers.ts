import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FALLBACK_ROUTE, ROUTES } from '#functions/routes';
import type { loadHandlers } from './lambda-bridge';

/**
 * `BUNDLED=1 npm start`: each route is served by its built function bundle (dist/functions/<Operation>/,
 * made by scripts/bundle-functions.ts with the CDK's own esbuild options), imported as Lambda
 * imports it. Every bundle has its own module state — clients, in-process cache — like the
 * separate functions it stands for, so a bundling mistake (a missing file, a `require` an ESM
 * bundle cannot do, code that only works unbundled) fails here and in `npm test`, not at deploy.
 * The bundles are built at start when dist/functions has none (`npm run bundle` rebuilds them).
 * Each bundle is imported on its route's first request, as Lambda runs a function's init on its
 * first invocation; a failed import answers that request 500 and is tried again on the next.
 */
export async function loadBundledHandlers(bundleDir: string): Promise<ReturnType<typeof loadHandlers>> {
  const manifestFile = path.join(bundleDir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    process.stdout.write(`no bundles in ${bundleDir}: building them (npm run bundle) ...\n`);
    const { bundleFunctions } = await import('../../scripts/bundle-functions');
    await bundleFunctions(bundleDir);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { operation: string; handler: string; file: string }[];
  const fileOf = (operation: string): string => {
    const entry = manifest.find((built) => built.operation === operation);
    if (!entry) throw new Error(`no bundle for ${operation} in ${bundleDir}: run npm run bundle`);
    return path.join(bundleDir, entry.file);
  };
  type Handler = ReturnType<typeof loadHandlers>['fallback'];
  const importHandler = async (operation: string): Promise<Handler> => {
    const loaded = (await import(pathToFileURL(fileOf(operation)).href)) as { handler?: unknown };
    if (typeof loaded.handler !== 'function') throw new Error(`the ${operation} bundle exports no handler`);
    return loaded.handler as Handler;
  };
  const lazy = (operation: string): Handler => {
    fileOf(operation); // a missing bundle fails the start, not a request
    let loading: Promise<Handler> | undefined;
    return async (event, context) => {
      loading ??= importHandler(operation).catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading)(event, context);
    };
  };
  const byModule = new Map<string, Handler>();
  for (const route of ROUTES) byModule.set(route.handler, lazy(route.operation));
  return { byModule, fallback: lazy(FALLBACK_ROUTE.operation) };
}

import path from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * Parts of packages the service never runs, replaced inside the bundles by small modules
 * (lib/constructs/bundle-trims/) that throw a clear error if they are ever reached. Each entry says
 * which import is replaced and why the service cannot reach it; esbuild applies them as a plugin
 * (esbuildOptionsFor in function-bundling.ts), the same for the CDK, `BUNDLED=1 npm start` and the
 * cost harness. jest and tsx load the real packages: the trims change bundles only, never behaviour.
 */
export interface BundleTrim {
  /** The package whose files make the import (its files under node_modules/<package>/). */
  importedBy: string;
  /** The import exactly as that package writes it. */
  request: RegExp;
  /** The module under lib/constructs/bundle-trims/ that takes its place. */
  replacement: string;
  why: string;
}

export const BUNDLE_TRIMS: BundleTrim[] = [
  {
    importedBy: 'ioredis',
    request: /^\.\/cluster$/,
    replacement: 'ioredis-cluster.ts',
    why: 'one standalone Redis endpoint: Cluster and its subscribers and pools are never built (≈ 36 KB)',
  },
  {
    importedBy: 'ioredis',
    request: /^\.\/(connectors\/)?SentinelConnector$/,
    replacement: 'ioredis-sentinel.ts',
    why: 'no `sentinels` option, the only case in which ioredis builds this connector',
  },
  {
    importedBy: 'ioredis',
    request: /^\.\.\/constants\/TLSProfiles$/,
    replacement: 'ioredis-tls-profiles.ts',
    why: 'no `tls.profile`: rediss:// uses Node’s CA store, not these bundled certificates (8 KB)',
  },
  {
    importedBy: 'ioredis',
    request: /^debug$/,
    replacement: 'debug.ts',
    why: 'DEBUG=ioredis:* tracing to stderr; never enabled in a function (debug, ms, supports-color: ≈ 9 KB)',
  },
  {
    importedBy: '@smithy/core',
    request: /^@smithy\/core\/event-streams$/,
    replacement: 'smithy-event-streams.ts',
    why: 'loaded only for event-stream operations, which DynamoDB and SQS do not have (≈ 15 KB)',
  },
  {
    importedBy: '@aws-lambda-powertools/idempotency',
    request: /^@aws-lambda-powertools\/jmespath(\/functions)?$/,
    replacement: 'jmespath.ts',
    why: 'the idempotency configuration uses single-field expressions only (≈ 23 KB of JMESPath)',
  },
];

const TRIMS_DIR = path.join(__dirname, 'bundle-trims');

/** Whether `importer` is a file of `pkg` (its own node_modules folder, at any depth of nesting). */
function isFileOf(importer: string, pkg: string): boolean {
  const marker = `${path.sep}node_modules${path.sep}${pkg.split('/').join(path.sep)}${path.sep}`;
  const at = importer.lastIndexOf(marker);
  return at >= 0 && !importer.slice(at + marker.length).includes(`${path.sep}node_modules${path.sep}`);
}

/** The esbuild plugin applying BUNDLE_TRIMS. */
export function bundleTrimsPlugin(trims: BundleTrim[] = BUNDLE_TRIMS): Plugin {
  return {
    name: 'bundle-trims',
    setup(build) {
      for (const trim of trims) {
        build.onResolve({ filter: trim.request }, (args) =>
          isFileOf(args.importer, trim.importedBy) ? { path: path.join(TRIMS_DIR, trim.replacement) } : undefined,
        );
      }
    },
  };
}

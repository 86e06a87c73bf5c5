import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { type CommandEntry, packCommandTable } from './bundle-trims/ioredis-commands';

/**
 * Parts of packages the service never runs, replaced inside the bundles by small modules
 * (lib/constructs/bundle-trims/) that throw a clear error if they are ever reached — and one
 * library, mnemonist's LRU, by the same LRU over lru-cache, which the bundles carry anyway. Each
 * entry says which import is replaced and why the service cannot reach it; esbuild applies them as a plugin
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
    importedBy: 'ioredis',
    request: /^cluster-key-slot$/,
    replacement: 'cluster-key-slot.ts',
    why: 'key slots are computed in cluster mode only',
  },
  {
    importedBy: 'redis-errors',
    request: /^\.\/lib\/old$/,
    replacement: 'redis-errors-old.ts',
    why: 'required on Node < 7 only',
  },
  {
    importedBy: '@smithy/core',
    request: /^@smithy\/core\/event-streams$/,
    replacement: 'smithy-event-streams.ts',
    why: 'loaded only for event-stream operations, which DynamoDB and SQS do not have (≈ 15 KB)',
  },
  {
    importedBy: '@aws-sdk/endpoint-cache',
    request: /^mnemonist\/lru-cache$/,
    replacement: 'endpoint-lru.ts',
    why: 'the same LRU over lru-cache, already in every function with DynamoDB (mnemonist and obliterator: ≈ 7 KB)',
  },
  {
    importedBy: '@smithy/core',
    request: /^\.\/(sha256\/)?Sha256Js$/,
    replacement: 'sha256-js.ts',
    why: 'the pure-JS SHA-256 is the fallback for a Node without node:crypto; SigV4 hashes natively (3 KB)',
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

/**
 * The AWS SDK clients import their whole package.json for one field, the version in the User-Agent
 * header (runtimeConfig.js `packageInfo.version`): the bundles get a package.json of that field alone.
 */
const SDK_CLIENT_PACKAGE_JSON = /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/;

/** ioredis's command table, packed to what ioredis reads of it (bundle-trims/ioredis-commands.ts). */
const IOREDIS_COMMAND_TABLE = /[\\/]node_modules[\\/]@ioredis[\\/]commands[\\/]built[\\/]commands\.json$/;

/**
 * The esbuild plugin applying BUNDLE_TRIMS, the SDK clients' package.json reduced to its version
 * and ioredis's command table to what ioredis reads.
 */
export function bundleTrimsPlugin(trims: BundleTrim[] = BUNDLE_TRIMS): Plugin {
  return {
    name: 'bundle-trims',
    setup(build) {
      for (const trim of trims) {
        build.onResolve({ filter: trim.request }, (args) =>
          isFileOf(args.importer, trim.importedBy) ? { path: path.join(TRIMS_DIR, trim.replacement) } : undefined,
        );
      }
      build.onLoad({ filter: SDK_CLIENT_PACKAGE_JSON }, (args) => {
        const { version } = JSON.parse(readFileSync(args.path, 'utf8')) as { version: string };
        return { contents: JSON.stringify({ version }), loader: 'json' };
      });
      build.onLoad({ filter: IOREDIS_COMMAND_TABLE }, (args) => {
        const packed = packCommandTable(JSON.parse(readFileSync(args.path, 'utf8')) as Record<string, CommandEntry>);
        const unpack = JSON.stringify(path.join(TRIMS_DIR, 'ioredis-commands.ts'));
        return {
          contents: `import { unpackCommandTable } from ${unpack};\nexport default unpackCommandTable(${JSON.stringify(packed)});\n`,
          loader: 'js',
          resolveDir: TRIMS_DIR,
        };
      });
    },
  };
}

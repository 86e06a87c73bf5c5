/**
 * How many of the service's own files a PUT passes through (issue 9's "files a PUT passes through"):
 *   1. on the StoreVariable function's import graph: functions/** inputs of its esbuild bundle (the
 *      stack's own bundling options, lib/constructs/function-bundling.ts);
 *   2. with code executed during ONE warm PUT: the handler runs in process against an in-memory
 *      dynalite, three PUTs warm it up, then V8's coverage counters are reset and one PUT is counted.
 * Usage: `node --import tsx load-tests/structure/put-path.ts [repoRoot] [--list]` (the root defaults to
 * this checkout; another checkout measures the "before").
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';

const root = path.resolve(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? path.join(__dirname, '../..'));
const list = process.argv.includes('--list');
const HANDLER = 'functions/handlers/variables/put-variable.ts';

async function importGraph(): Promise<string[]> {
  const { build } = createRequire(path.join(root, 'package.json'))('esbuild') as typeof import('esbuild');
  const { esbuildOptionsFor } = await import(path.join(root, 'lib/constructs/function-bundling.ts'));
  const outdir = mkdtempSync(path.join(tmpdir(), 'put-path-'));
  try {
    const result = await build({
      ...esbuildOptionsFor(),
      absWorkingDir: root,
      entryPoints: [path.join(root, HANDLER)],
      outfile: path.join(outdir, 'index.mjs'),
      write: false,
      metafile: true,
      logLevel: 'error',
    });
    return Object.keys(result.metafile?.inputs ?? {}).filter((input) => input.startsWith('functions/'));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Runs in the child that NODE_V8_COVERAGE watches: three warm-up PUTs, a counter reset, one PUT. */
async function onePut(): Promise<void> {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const { startTestDatabase } = await import(path.join(root, 'test/support/dynalite.ts'));
  const database = await startTestDatabase();
  process.env.DYNAMODB_ENDPOINT = database.endpoint;
  const { handler } = await import(path.join(root, HANDLER));
  const urlPath = '/api/v1/executions/run-1/variables/token';
  const put = async (i: number): Promise<void> => {
    const event = {
      version: '2.0',
      routeKey: 'PUT /api/v1/executions/{execution_id}/variables/{variable_name}',
      rawPath: urlPath,
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      pathParameters: { execution_id: 'run-1', variable_name: 'token' },
      requestContext: { http: { method: 'PUT', path: urlPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'put-path' } },
      body: JSON.stringify({ value: `v${i}`, source_step_index: 1 }),
      isBase64Encoded: false,
    };
    const context = { awsRequestId: `put-${i}`, functionName: 'StoreVariable', getRemainingTimeInMillis: () => 10_000 };
    const answer = await handler(event, context);
    if (answer.statusCode >= 300) throw new Error(`PUT answered ${answer.statusCode}`);
  };
  for (let i = 0; i < 3; i += 1) await put(i);
  v8.takeCoverage(); // writes a report and resets the counters: the next report is one PUT's
  await put(99);
  v8.takeCoverage();
  await database.close();
  process.exit(0);
}

function executedDuringOnePut(): string[] {
  const coverage = mkdtempSync(path.join(tmpdir(), 'put-coverage-'));
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, root, '--child'], {
      env: { ...process.env, NODE_V8_COVERAGE: coverage },
      stdio: 'inherit',
    });
    if (child.status !== 0) throw new Error(`the measuring process exited with ${child.status}`);
    // Reports are named coverage-<pid>-<time>-<n>.json; the second is the one PUT's.
    const reports = readdirSync(coverage).sort((a, b) => Number(a.split('-')[2]) - Number(b.split('-')[2]));
    const report = JSON.parse(readFileSync(path.join(coverage, reports[1]), 'utf8')) as {
      result: Array<{ url: string; functions: Array<{ ranges: Array<{ count: number }> }> }>;
    };
    const prefix = `file://${root}/`;
    return report.result
      .filter((script) => script.url.startsWith(`${prefix}functions/`) && script.functions.some((fn) => fn.ranges[0].count > 0))
      .map((script) => script.url.slice(prefix.length));
  } finally {
    rmSync(coverage, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return onePut();
  const graph = (await importGraph()).sort();
  const executed = executedDuringOnePut().sort();
  console.log(`StoreVariable: ${graph.length} functions/** files on the import graph, ${executed.length} executed during one warm PUT`);
  if (list) console.log(`\nexecuted:\n  ${executed.join('\n  ')}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

'use strict';
/**
 * `cost` (issue 12): what one request of every route costs the server, as ratios to the floor
 * (a 404 that touches nothing) and to one bare SDK GetItemCommand measured in the same run.
 *
 * 1. start one server instance (in-memory dynalite; BUNDLED=1 in the environment runs the built bundles);
 * 2. seed: one execution of 100 variables (get, list, hints), one of the 10 reference variables
 *    (resolve, validate), and variables to delete;
 * 3. per operation: warm-up, then COST_REQUESTS requests with 4 connections — CPU of the server's
 *    processes and of the database process from /proc before/after, latencies — then
 *    COST_REQUESTS_100 with 100 connections: latencies and throughput;
 * 4. the bare GetItemCommand in its own process (lib/cost/bare-sdk.js) at 4 connections before and after the
 *    operations (the ratios use the mean: the machine's load drifts) and at 100 after;
 * 5. bundle sizes and init times (lib/cost/bundles.js);
 * 6. the JSON report plus an HTML report with charts (lib/cost/html.js).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const dataset = require('../dataset');
const { createClient, runPool } = require('../http');
const { seedBatches, batchesOf } = require('../seed');
const { Recorder, round } = require('../stats');
const { totalCpuMs, cmdline } = require('../cost/proc-cpu');
const { descendants } = require('../server');
const { measureBundles } = require('../cost/bundles');
const { writeHtml } = require('../cost/html');
const cpuProfile = require('../cost/cpu-profile');

const REQUESTS_4 = Number(process.env.COST_REQUESTS) || 600;
const REQUESTS_100 = Number(process.env.COST_REQUESTS_100) || 800;
const WARMUP = 150;

/** The operations of the route table (and the floor), each one request builder. */
function operations(tag) {
  const hot = `${tag}-c100`;
  const refs = `${tag}-refs`;
  const del = `${tag}-del`;
  let deleted = 0;
  let deletedExecutions = 0;
  const put = (i) => ({
    method: 'PUT',
    path: `/executions/${tag}-w${i % 50}/variables/v_${i % 20}`,
    body: { value: dataset.smallObject(i), source_step_index: 100 + (i % 100), source_api_method: 'aiQuery' },
  });
  return [
    { name: 'floor (404)', operation: 'Fallback', ok: [404], req: () => ({ method: 'GET', path: '/api/v1/no-such-route' }) },
    { name: 'health', operation: 'Health', ok: [200], req: () => ({ method: 'GET', path: '/api/health' }) },
    { name: 'openapi', operation: 'OpenApi', ok: [200], req: () => ({ method: 'GET', path: '/api/openapi.json' }) },
    {
      name: 'get',
      operation: 'GetVariable',
      ok: [200],
      req: (i) => ({ method: 'GET', path: `/executions/${hot}/variables/${dataset.seededName(i % 100)}` }),
    },
    {
      name: 'head-get',
      operation: 'GetVariable (HEAD)',
      ok: [200],
      req: (i) => ({ method: 'HEAD', path: `/executions/${hot}/variables/${dataset.seededName(i % 100)}` }),
    },
    { name: 'put', operation: 'StoreVariable', ok: [200, 201], req: put },
    {
      name: 'post-batch 10',
      operation: 'StoreVariables',
      ok: [200],
      req: (i) => ({
        method: 'POST',
        path: `/executions/${tag}-b${i % 50}/variables`,
        body: {
          variables: Array.from({ length: 10 }, (_, j) => ({
            variable_name: `b_${j}`,
            value: dataset.smallObject(i + j),
            source_step_index: j,
          })),
        },
      }),
    },
    {
      name: 'list 100',
      operation: 'ListVariables',
      ok: [200],
      req: () => ({ method: 'GET', path: `/executions/${hot}/variables?limit=100` }),
    },
    {
      name: 'suggestions 100',
      operation: 'GetSuggestions',
      ok: [200],
      req: () => ({ method: 'GET', path: `/executions/${hot}/variable-suggestions?limit=100` }),
    },
    {
      name: 'search',
      operation: 'SearchVariables',
      ok: [200],
      req: () => ({ method: 'GET', path: `/executions/${hot}/variable-suggestions/search?q=var_1` }),
    },
    {
      name: 'properties',
      operation: 'GetProperties',
      ok: [200],
      req: (i) => ({ method: 'GET', path: `/executions/${hot}/variables/${dataset.seededName(i % 100)}/properties` }),
    },
    {
      name: 'suggestions-compat 100',
      operation: 'GetSuggestionsCompat',
      ok: [200],
      req: () => ({ method: 'GET', path: `/api/executions/${hot}/variable-suggestions?limit=100` }),
    },
    {
      name: 'properties-compat',
      operation: 'GetPropertiesCompat',
      ok: [200],
      req: (i) => ({ method: 'GET', path: `/api/executions/${hot}/variables/${dataset.seededName(i % 100)}/properties` }),
    },
    {
      name: 'validate 20',
      operation: 'ValidateReferences',
      ok: [200],
      req: () => ({
        method: 'POST',
        path: `/executions/${refs}/variables/validate`,
        body: { step_index: dataset.REFERENCE_STEP, references: dataset.validateReferences() },
      }),
    },
    {
      name: 'resolve 10',
      operation: 'Resolve',
      ok: [200],
      req: () => ({
        method: 'POST',
        path: `/executions/${refs}/resolve`,
        body: { step_index: dataset.REFERENCE_STEP, params: dataset.resolveParams(), record: false },
      }),
    },
    {
      name: 'resolve 10 +lineage',
      operation: 'Resolve',
      ok: [200],
      req: (i) => ({
        method: 'POST',
        path: `/executions/${tag}-lin${i % 20}/resolve`,
        body: { step_index: dataset.REFERENCE_STEP, params: dataset.resolveParams(), record: true },
      }),
    },
    {
      name: 'list-references',
      operation: 'ListReferences',
      ok: [200],
      req: () => ({ method: 'GET', path: `/executions/${tag}-lin0/variable-references?limit=50` }),
    },
    { name: 'get-execution', operation: 'GetExecution', ok: [200], req: () => ({ method: 'GET', path: `/executions/${hot}` }) },
    {
      name: 'delete-variable',
      operation: 'DeleteVariable',
      ok: [204],
      req: () => ({ method: 'DELETE', path: `/executions/${del}/variables/d_${deleted++}` }),
    },
    {
      name: 'delete-execution',
      operation: 'DeleteExecution',
      ok: [204],
      req: () => ({ method: 'DELETE', path: `/executions/${tag}-gone${deletedExecutions++}` }),
    },
  ];
}

function serverProcesses(server) {
  const all = [server.pid, ...descendants(server.pid)];
  const database = all.filter((pid) => /dynamodb-process/.test(cmdline(pid)));
  return { server: all.filter((pid) => !database.includes(pid)), database };
}

async function measure(client, op, count, concurrency, pids) {
  const recorder = new Recorder();
  const cpu0 = totalCpuMs(pids.server);
  const db0 = totalCpuMs(pids.database);
  const t0 = process.hrtime.bigint();
  await runPool({
    count,
    concurrency,
    deadline: Date.now() + 240_000,
    operation: async (i) => {
      const { method, path: p, body } = op.req(i);
      recorder.record(op.name, await client.request(method, p, body), op.ok);
    },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const [row] = recorder.rows();
  return {
    ...row,
    cpu_ms_per_request: (totalCpuMs(pids.server) - cpu0) / row.requests,
    db_cpu_ms_per_request: (totalCpuMs(pids.database) - db0) / row.requests,
    throughput_rps: row.requests / seconds,
  };
}

function bareSdk(root, endpoint, databasePid, count, concurrency) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(__dirname, '..', 'cost', 'bare-sdk.js'),
        root,
        endpoint,
        'variables',
        String(databasePid),
        String(count),
        String(concurrency),
        String(WARMUP * 2),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`bare SDK run failed: ${err.slice(0, 800)}`)),
    );
  });
}

module.exports = {
  description:
    'CPU per request of every route (server and database, from /proc) as ratios to the 404 floor and ' +
    'a bare SDK GetItem, latencies at 4 and 100 connections, bundle sizes and init',
  async run(ctx) {
    // COST_CPU_PROF=1: every server process is sampled (Node refuses --cpu-prof in NODE_OPTIONS, so a preload
    // does what it does); the busiest server process's profile is summarised after the run.
    const profileDir = process.env.COST_CPU_PROF ? ctx.artifact('cpuprof') : undefined;
    const profiling = profileDir
      ? {
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, '..', 'cost', 'cpu-prof-preload.js')}`.trim(),
          COST_CPU_PROF_DIR: profileDir,
        }
      : {};
    const uncovered = uncoveredOperations(ctx.serverRoot, operations('x'));
    if (uncovered.length) console.log(`  note: the route table has operations this scenario does not measure: ${uncovered.join(', ')}`);
    // COST_SERVER_ENV='POWERTOOLS_TRACE_ENABLED=true,…': extra server settings, e.g. what Lambda runs with and the local server does not.
    const extra = Object.fromEntries(
      (process.env.COST_SERVER_ENV || '')
        .split(',')
        .map((pair) => pair.trim())
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );
    const server = await ctx.startServer({ POWERTOOLS_LOG_LEVEL: 'ERROR', ...extra, ...profiling });
    const endpoint = /embedded DynamoDB \(dynalite\) at (\S+),/.exec(server.output())?.[1];
    if (!endpoint) throw new Error('could not find the embedded database endpoint in the server output');
    const pids = serverProcesses(server);
    if (pids.database.length !== 1) throw new Error(`expected one database process, found ${pids.database.length}`);
    const tag = ctx.runTag;
    const client = createClient(server.baseUrl, { connections: 100 });
    try {
      const hundred = Array.from({ length: 100 }, (_, i) => ({
        variable_name: dataset.seededName(i),
        value: dataset.smallObject(i),
        source_step_index: i,
        source_api_method: 'aiQuery',
      }));
      const deletable = Array.from({ length: REQUESTS_4 + REQUESTS_100 + 2 * WARMUP }, (_, i) => ({
        variable_name: `d_${i}`,
        value: i,
        source_step_index: 1,
      }));
      const seed = await seedBatches(
        client,
        [
          { executionId: `${tag}-c100`, variables: hundred },
          { executionId: `${tag}-refs`, variables: dataset.referenceVariables() },
          ...batchesOf(`${tag}-del`, deletable),
          ...Array.from({ length: 20 }, (_, i) => ({ executionId: `${tag}-lin${i}`, variables: dataset.referenceVariables() })),
        ],
        { label: 'seeding' },
      );
      const rows = [];
      // COST_ONLY=get,put (names up to the first space) measures a subset, for quick iterations; the floor always runs.
      const only = (process.env.COST_ONLY || '')
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean);
      const measured = operations(tag).filter((o, index) => index === 0 || !only.length || only.includes(o.name.split(' ')[0]));
      const bareEarlier = await bareSdk(ctx.serverRoot, endpoint, pids.database[0], REQUESTS_4, 4);
      // The profile starts here: seeding is not what is measured.
      // Node processes only: SIGUSR2 would end the tsx wrapper's esbuild service.
      if (profileDir) for (const pid of pids.server) if (cmdline(pid).split(' ')[0] === process.execPath) safeSignal(pid, 'SIGUSR2');
      for (const op of measured) {
        await runPool({
          count: WARMUP,
          concurrency: 4,
          operation: async (i) => {
            const { method, path: p, body } = op.req(i);
            await client.request(method, p, body);
          },
        });
        const at4 = await measure(client, op, REQUESTS_4, 4, pids);
        const at100 = await measure(client, op, REQUESTS_100, 100, pids);
        const r = row(op.name, op.operation, at4, at100);
        // An expected 4xx (the floor's 404) is the answer measured, not a harness error.
        r.codes = Object.fromEntries(
          Object.entries(r.codes).map(([code, n]) => [op.ok.includes(Number(code)) && code.startsWith('4') ? `${code} expected` : code, n]),
        );
        rows.push(r);
        console.log(
          `  ${op.name.padEnd(20)} ${at4.cpu_ms_per_request.toFixed(2)} ms CPU/request, p95 ${at4.p95} ` +
            `ms @4, ${Math.round(at100.throughput_rps)} req/s @100`,
        );
      }
      const bareLater = await bareSdk(ctx.serverRoot, endpoint, pids.database[0], REQUESTS_4, 4);
      const bare100 = await bareSdk(ctx.serverRoot, endpoint, pids.database[0], REQUESTS_100, 100);
      // The machine's load drifts during a run: the ratio's denominator is the mean of the runs before and after the operations.
      const bare4 = {
        ...bareLater,
        requests: bareEarlier.requests + bareLater.requests,
        errors: bareEarlier.errors + bareLater.errors,
        codes: mergeCodes(bareEarlier.codes, bareLater.codes),
        cpu_ms_per_request: (bareEarlier.cpu_ms_per_request + bareLater.cpu_ms_per_request) / 2,
        db_cpu_ms_per_request: (bareEarlier.db_cpu_ms_per_request + bareLater.db_cpu_ms_per_request) / 2,
      };
      const bare = row('bare SDK GetItem', '-', bare4, bare100);
      bare.cpu_ms_before_operations = round(bareEarlier.cpu_ms_per_request, 3);
      bare.cpu_ms_after_operations = round(bareLater.cpu_ms_per_request, 3);
      const drift = `${bareEarlier.cpu_ms_per_request.toFixed(2)} before the operations, ${bareLater.cpu_ms_per_request.toFixed(2)} after`;
      console.log(`  ${'bare SDK GetItem'.padEnd(20)} ${bare4.cpu_ms_per_request.toFixed(2)} ms CPU/request (client process; ${drift})`);
      const floor = rows[0];
      for (const r of [...rows, bare]) {
        r.x_bare_sdk = round(r.cpu_ms / bare.cpu_ms, 2);
        r.x_floor = round(r.cpu_ms / floor.cpu_ms, 2);
      }
      const all = [bare, ...rows];
      let profile;
      if (profileDir) {
        await server.stop();
        profile = summarizeServerProfile(profileDir, pids);
        if (profile) cpuProfile.print(profile);
      }
      const bundles = process.env.COST_SKIP_BUNDLES ? { rows: [] } : measureBundles(ctx.serverRoot);
      const columns = [
        ['endpoint', 'operation'],
        ['cpu_ms', 'CPU ms', 2],
        ['x_bare_sdk', 'x SDK', 2],
        ['x_floor', 'x floor', 2],
        ['db_cpu_ms', 'db ms', 2],
        ['p50_4', 'p50@4'],
        ['p95_4', 'p95@4'],
        ['p99_4', 'p99@4'],
        ['p50_100', 'p50@100'],
        ['p95_100', 'p95@100'],
        ['p99_100', 'p99@100'],
        ['rps_100', 'req/s@100'],
        ['errors', 'errors'],
      ];
      const bundleColumns = [
        ['function', 'function'],
        ['kb', 'KB'],
        ['process_ms_median', 'process ms'],
        ['import_ms_median', 'import ms'],
        ['import_cpu_ms_median', 'import CPU ms'],
        ['largest', 'largest parts (KB)'],
      ];
      const html = ctx.artifact('cost.html');
      writeHtml(html, {
        title: `cost ${ctx.stamp}`,
        rows: all,
        bundles,
        columns,
        bundleColumns,
        loadavg: require('node:os').loadavg(),
        bundled: process.env.BUNDLED === '1',
      });
      return {
        tables: [
          {
            title:
              `cost per request (${REQUESTS_4} requests @4 connections, ${REQUESTS_100} @100; ` +
              `CPU = all server processes; "x SDK" = CPU / bare GetItem's client CPU)`,
            rows: all,
            columns,
          },
          ...(bundles.rows.length
            ? [
                {
                  title: `function bundles: size, init (median of 7 fresh processes); node -e 0 = ${bundles.node_e_0_ms_median} ms`,
                  rows: bundles.rows,
                  columns: bundleColumns,
                },
              ]
            : []),
        ],
        notes: [
          `\nHTML report: ${path.relative(process.cwd(), html)}`,
          `server processes: ${pids.server.length} (${pids.server.join(', ')}), database pid ` +
            `${pids.database[0]}${process.env.BUNDLED === '1' ? ', BUNDLED=1' : ''}`,
        ],
        details: {
          seed,
          bundles,
          profile,
          uncovered_operations: uncovered,
          bundled: process.env.BUNDLED === '1',
          requests_4: REQUESTS_4,
          requests_100: REQUESTS_100,
        },
      };
    } finally {
      client.close();
    }
  },
};

/** Operations of the route table (functions/routes.ts, read through tsx) that no measured operation names. */
function uncoveredOperations(root, ops) {
  const script =
    // The repository is CommonJS: the module's exports arrive as `default`.
    "const loaded = await import('./functions/routes.ts'); const { ROUTES, FALLBACK_ROUTE } = loaded.default ?? loaded; " +
    'console.log(JSON.stringify([...ROUTES.map((r) => r.operation), FALLBACK_ROUTE.operation]));';
  const listed = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (listed.status !== 0) return [`(could not read the route table: ${(listed.stderr || '').slice(0, 200)})`];
  const measured = new Set(ops.map((o) => o.operation));
  return JSON.parse(listed.stdout.trim().split('\n').pop()).filter((operation) => !measured.has(operation));
}

function safeSignal(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

/** The busiest profile of a server process (not the database's): the worker that served the requests. */
function summarizeServerProfile(dir, pids) {
  if (!fs.existsSync(dir)) return undefined;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .filter((f) => !pids.database.includes(Number(f.split('.')[2])));
  const summaries = files.map((f) => cpuProfile.summarize(path.join(dir, f), 30));
  summaries.sort((a, b) => b.samples * b.busy_share - a.samples * a.busy_share);
  return summaries[0] && { dir: path.relative(process.cwd(), dir), ...summaries[0] };
}

function row(name, operation, at4, at100) {
  return {
    endpoint: name,
    operation,
    requests: at4.requests + at100.requests,
    errors: at4.errors + at100.errors,
    codes: mergeCodes(at4.codes, at100.codes),
    cpu_ms: round(at4.cpu_ms_per_request, 3),
    cpu_ms_at_100: round(at100.cpu_ms_per_request, 3),
    db_cpu_ms: round(at4.db_cpu_ms_per_request, 3),
    p50_4: at4.p50,
    p95_4: at4.p95,
    p99_4: at4.p99,
    p50_100: at100.p50,
    p95_100: at100.p95,
    p99_100: at100.p99,
    rps_4: round(at4.throughput_rps, 0),
    rps_100: round(at100.throughput_rps, 0),
  };
}

function mergeCodes(a = {}, b = {}) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] || 0) + v;
  return out;
}

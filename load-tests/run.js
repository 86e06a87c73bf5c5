#!/usr/bin/env node
'use strict';
/**
 * Benchmark runner: `npm run load [-- <scenario>]` from the repository root (default `core`).
 *
 * Starts the local server itself (in-memory storage, a free port on 127.0.0.1), seeds data, drives
 * the load (artillery or a bounded Node loop), prints p50/p95/p99 per endpoint with PASS/MISS
 * against the p95 targets, writes reports/<timestamp>.json and stops the server.
 *
 * Exit code: 0 when the run produced its measurements, missed targets and errors under load (5xx,
 * timeouts) included: those are results, printed and reported. 1 when the run itself failed: the
 * server did not start, seeding or artillery failed, or an endpoint has no usable measurements
 * (no request, no success, or more than 5 % 4xx: missing endpoint or bad harness data).
 * 2 for an unknown scenario.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, ROOT: SERVER_ROOT } = require('./lib/server');
const { printTable, evaluateTargets, timestamp, environment, writeReport, REPORTS_DIR } = require('./lib/report');

const SCENARIOS = {
  core: () => require('./lib/scenarios/core'),
  references: () => require('./lib/scenarios/references'),
  hints: () => require('./lib/scenarios/hints'),
  'cache-tiers': () => require('./lib/scenarios/cache-tiers'),
  soak: () => require('./lib/scenarios/soak'),
  abuse: () => require('./lib/scenarios/abuse'),
  cost: () => require('./lib/scenarios/cost'),
  'story-load': () => require('./lib/scenarios/story-load'),
};
/** More 4xx than this and the harness, its data or the endpoint is wrong: the run measured nothing. */
const MAX_CLIENT_ERROR_RATIO = 0.05;

function clientErrors(row) {
  return Object.entries(row.codes || {}).reduce((sum, [code, n]) => sum + (/^4\d\d$/.test(code) ? n : 0), 0);
}

function errorCodes(row) {
  return Object.entries(row.codes || {})
    .filter(([code]) => !/^2\d\d$/.test(code))
    .map(([code, n]) => `${code} x${n}`)
    .join(', ');
}

/** Benchmarks on a shared machine measure the neighbours too: say so when the machine is busy. */
function warnIfBusy(when) {
  const [oneMinute] = os.loadavg();
  if (oneMinute > os.cpus().length * 0.75) {
    console.log(
      `  note: load average ${oneMinute.toFixed(2)} on ${os.cpus().length} CPUs ${when}: other processes ` +
        `compete for CPU, latencies will be inflated`,
    );
  }
}

function usage() {
  console.log('usage: npm run load -- [scenario]\n\nscenarios:');
  for (const [name, load] of Object.entries(SCENARIOS)) console.log(`  ${name.padEnd(12)} ${load().description}`);
}

async function main() {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('-h') || args.includes('--help')) {
    usage();
    return 0;
  }
  const name = args[0] || 'core';
  if (!SCENARIOS[name]) {
    console.error(`unknown scenario '${name}'`);
    usage();
    return 2;
  }
  const scenario = SCENARIOS[name]();
  const startedAt = new Date();
  const stamp = `${timestamp(startedAt)}-${name}`;
  const runTag = `lt${startedAt.getTime().toString(36)}`;
  const servers = [];
  const stopAll = () => Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
  const onSignal = (signal) => {
    console.error(`\n${signal}: stopping the server(s)`);
    stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // An error outside the awaited flow (a stream's 'error' event, say) must not orphan the servers.
  process.once('uncaughtException', (error) => {
    console.error(`\nRUN FAILED: ${error.stack || error.message}`);
    stopAll().finally(() => process.exit(1));
  });

  // A fresh clone has no reports/ (it is git-ignored); artillery's log stream opens in it first.
  fs.mkdirSync(REPORTS_DIR, { recursive: true });
  const ctx = {
    stamp,
    runTag,
    reportsDir: REPORTS_DIR,
    serverRoot: SERVER_ROOT,
    artifact: (suffix) => path.join(REPORTS_DIR, `${stamp}-${suffix}`),
    async startServer(env = {}, label = 'server') {
      const shown = Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      console.log(`starting local server (${label}${shown ? `: ${shown}` : ''}) ...`);
      const t0 = Date.now();
      const server = await startServer(env);
      servers.push(server);
      console.log(`  ready at ${server.baseUrl} in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${server.pid})`);
      return server;
    },
  };

  console.log(`scenario ${name}: ${scenario.description}`);
  warnIfBusy('at start');
  const report = {
    scenario: name,
    started_at: startedAt.toISOString(),
    environment: environment(),
    status: 'failed',
  };
  let exitCode = 1;
  try {
    const result = await scenario.run(ctx);
    const targets = [];
    for (const table of result.tables) {
      printTable(table.title, table.rows, table.columns);
      targets.push(...evaluateTargets(table.rows, table.targetOf || {}));
    }
    for (const note of result.notes || []) console.log(note);
    const rows = result.tables.flatMap((t) => t.rows).filter((row) => typeof row.requests === 'number');
    const broken = rows.filter(
      (row) => row.requests === 0 || clientErrors(row) / row.requests > MAX_CLIENT_ERROR_RATIO || row.requests === row.errors,
    );
    const failing = rows.filter((row) => row.errors > 0 && !broken.includes(row));
    Object.assign(report, { tables: result.tables, targets, details: result.details });
    if (failing.length) {
      report.server_errors = failing.map((r) => ({ endpoint: r.endpoint, errors: r.errors, requests: r.requests, codes: r.codes }));
      console.log('\nerrors under load (5xx, timeouts, connection errors: results, not harness failures)');
      for (const r of failing)
        console.log(
          `  ${r.endpoint.padEnd(16)} ${r.errors}/${r.requests} (${((100 * r.errors) / r.requests).toFixed(1)} %)  ${errorCodes(r)}`,
        );
    }
    if (broken.length) {
      report.failure =
        `no usable measurements for: ` +
        `${broken.map((r) => `${r.endpoint} (${r.errors}/${r.requests} errors: ${errorCodes(r)})`).join(', ')}`;
      console.error(`\nRUN FAILED: ${report.failure}`);
    } else {
      report.status = 'ok';
      exitCode = 0;
      const missed = targets.filter((t) => t.result === 'MISS').length;
      console.log(`\nrun ok${targets.length ? `: ${targets.length - missed} target(s) met, ${missed} missed` : ''}`);
    }
  } catch (error) {
    report.failure = error.message;
    console.error(`\nRUN FAILED: ${error.message}`);
  } finally {
    await stopAll();
    report.environment.loadavg_at_end = os.loadavg().map((n) => Math.round(n * 100) / 100);
    report.finished_at = new Date().toISOString();
    report.duration_s = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
    report.server_output_tail = servers.map((s) => s.output().slice(-4000));
    console.log(`report: ${path.relative(process.cwd(), writeReport(stamp, report)) || stamp}`);
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

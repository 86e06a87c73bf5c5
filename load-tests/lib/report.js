'use strict';
/** The console table, the p95 target verdicts and the JSON report file. */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** p95 targets in ms (STORY-013; the same thresholds as the CloudWatch alarms). */
const P95_TARGETS_MS = { store: 100, get: 50, list: 200, suggestions: 200, search: 200 };

const REPORTS_DIR = path.resolve(__dirname, '..', 'reports');

/** A column may name its decimals (`[key, label, digits]`); one by default. */
function fmt(value, digits = 1) {
  if (value === null || value === undefined) return '-';
  return typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(digits)) : String(value);
}

function printTable(title, rows, columns) {
  const cols = columns || [
    ['endpoint', 'endpoint'],
    ['requests', 'requests'],
    ['errors', 'errors'],
    ['p50', 'p50 ms'],
    ['p95', 'p95 ms'],
    ['p99', 'p99 ms'],
    ['max', 'max ms'],
  ];
  const cells = rows.map((row) => cols.map(([key, , digits]) => fmt(row[key], digits)));
  const widths = cols.map(([, label], i) => Math.max(label.length, ...cells.map((r) => r[i].length)));
  const line = (values) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(cols.map(([, label]) => label)));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells) console.log(line(row));
}

/**
 * @param {Array<{endpoint: string, p95: number|null}>} rows
 * @param {Record<string, string>} targetOf endpoint row name → key of P95_TARGETS_MS
 */
function evaluateTargets(rows, targetOf) {
  const verdicts = [];
  for (const row of rows) {
    const key = targetOf[row.endpoint];
    if (!key) continue;
    const target = P95_TARGETS_MS[key];
    const ok = row.p95 !== null && row.p95 < target;
    const errorRate = row.requests ? Math.round((10000 * row.errors) / row.requests) / 100 : null;
    verdicts.push({
      endpoint: row.endpoint,
      target: key,
      p95_ms: row.p95,
      target_p95_ms: target,
      error_percent: errorRate,
      result: ok ? 'PASS' : 'MISS',
    });
  }
  if (verdicts.length) {
    console.log('\np95 targets');
    for (const v of verdicts) {
      const errors = v.error_percent ? `, ${v.error_percent} % of requests failed` : '';
      console.log(`  ${v.result}  ${v.endpoint.padEnd(16)} p95 ${fmt(v.p95_ms).padStart(7)} ms  (target < ${v.target_p95_ms} ms${errors})`);
    }
  }
  return verdicts;
}

function timestamp(date = new Date()) {
  return date
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
}

function environment() {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0] ? os.cpus()[0].model : undefined,
    memory_mib: Math.round(os.totalmem() / 1024 / 1024),
    loadavg_at_start: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

function writeReport(stamp, report) {
  fs.mkdirSync(REPORTS_DIR, { recursive: true });
  const file = path.join(REPORTS_DIR, `${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

module.exports = { P95_TARGETS_MS, REPORTS_DIR, printTable, evaluateTargets, timestamp, environment, writeReport };

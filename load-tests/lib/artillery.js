'use strict';
/**
 * Runs one artillery scenario file against the local server and turns its JSON report into
 * per-endpoint rows. Requests are named in the YAML (`name: store`) and the metrics-by-endpoint
 * plugin (with useOnlyRequestNames) reports `plugins.metrics-by-endpoint.response_time.<name>`
 * (time to first byte, artillery's usual `http.response_time` measure) and
 * `plugins.metrics-by-endpoint.<name>.codes.<status>` / `.errors.<code>` per name.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const HERE = path.resolve(__dirname, '..');
const PREFIX = 'plugins.metrics-by-endpoint';

function artilleryBin() {
  return path.join(path.dirname(require.resolve('artillery/package.json', { paths: [HERE] })), 'bin', 'run');
}

/**
 * @param {object} options
 * @param {string} options.script  path of the YAML scenario
 * @param {string} options.target  http://127.0.0.1:port
 * @param {string} options.outputJson where artillery writes its report
 * @param {string} options.logFile  artillery's console output
 * @param {Record<string,string>} options.env  extra environment for the processor
 * @param {number} options.timeoutMs hard stop for the whole artillery run
 */
async function runArtillery({ script, target, outputJson, logFile, env = {}, timeoutMs }) {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(target)) throw new Error(`refusing artillery target ${target}`);
  const args = ['--require', path.join(HERE, 'no-telemetry.js'), artilleryBin(), 'run', '--target', target, '--output', outputJson, script];
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    cwd: HERE,
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const progress = periodPrinter();
  child.stdout.on('data', (chunk) => {
    log.write(chunk);
    progress(chunk.toString());
  });
  child.stderr.on('data', (chunk) => log.write(chunk));
  let timer;
  const result = await new Promise((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGTERM');
      resolve({ code: null, timedOut: true });
    }, timeoutMs);
    child.once('exit', (code) => resolve({ code, timedOut: false }));
  });
  clearTimeout(timer);
  await new Promise((resolve) => log.end(resolve));
  if (result.timedOut) throw new Error(`artillery did not finish within ${timeoutMs / 1000} s (log: ${logFile})`);
  if (result.code !== 0) throw new Error(`artillery exited with code ${result.code} (log: ${logFile})`);
  if (!fs.existsSync(outputJson)) throw new Error(`artillery wrote no report (log: ${logFile})`);
  return JSON.parse(fs.readFileSync(outputJson, 'utf8'));
}

/** Echoes one line per artillery reporting period, so a long run shows it is alive. */
function periodPrinter() {
  let buffer = '';
  let period = null;
  return (text) => {
    buffer += text;
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      const start = /Metrics for period to: (\S+)/.exec(line);
      if (start) period = { at: start[1], requests: 0, vusers: 0 };
      if (!period) continue;
      const requests = /^http\.requests:\s*\.*\s*(\d+)/.exec(line);
      if (requests) period.requests = Number(requests[1]);
      const created = /^vusers\.created:\s*\.*\s*(\d+)/.exec(line);
      if (created) period.vusers = Number(created[1]);
      const heading = /^(\S+):\s*$/.exec(line);
      if (heading) period.section = heading[1];
      const p95 = /^\s+p95:\s*\.*\s*([\d.]+)/.exec(line);
      if (p95 && period.section === 'http.response_time') period.p95 = Number(p95[1]);
      if (/^vusers\.session_length:/.test(line) || /^All VUs finished/.test(line)) {
        if (period.requests) {
          console.log(
            `  artillery period to ${period.at}: ${period.requests} requests, ${period.vusers} VUs ` +
              `started, p95 of all ${period.p95 ?? '?'} ms`,
          );
        }
        period = null;
      }
    }
  };
}

/**
 * Per-endpoint rows from artillery's aggregate. `okStatuses` lists, per name, the statuses that
 * are not errors (default 200/201); socket errors and timeouts always count as errors.
 */
function endpointRows(report, names, okStatuses = {}) {
  const { counters = {}, summaries = {} } = report.aggregate;
  const seen = new Set(names);
  for (const key of Object.keys(summaries)) {
    if (key.startsWith(`${PREFIX}.response_time.`)) seen.add(key.slice(`${PREFIX}.response_time.`.length));
  }
  const rows = [];
  for (const name of seen) {
    const summary = summaries[`${PREFIX}.response_time.${name}`];
    const codes = {};
    let errors = 0;
    let requests = 0;
    const ok = okStatuses[name] || [200, 201];
    for (const [key, count] of Object.entries(counters)) {
      const match = key.startsWith(`${PREFIX}.${name}.`) && /\.(codes|errors)\.([^.]+)$/.exec(key);
      if (!match || key !== `${PREFIX}.${name}.${match[1]}.${match[2]}`) continue;
      codes[match[2]] = count;
      requests += count;
      if (match[1] === 'errors' || !ok.includes(Number(match[2]))) errors += count;
    }
    if (!summary && !requests) continue;
    rows.push({
      endpoint: name,
      requests,
      errors,
      p50: summary ? summary.p50 : null,
      p95: summary ? summary.p95 : null,
      p99: summary ? summary.p99 : null,
      max: summary ? summary.max : null,
      mean: summary ? summary.mean : null,
      codes,
    });
  }
  return rows;
}

/** Totals worth keeping next to the endpoint rows. */
function runTotals(report) {
  const { counters = {}, summaries = {} } = report.aggregate;
  const errors = Object.fromEntries(Object.entries(counters).filter(([key]) => key.startsWith('errors.')));
  return {
    http_requests: counters['http.requests'] || 0,
    vusers_created: counters['vusers.created'] || 0,
    vusers_completed: counters['vusers.completed'] || 0,
    vusers_failed: counters['vusers.failed'] || 0,
    peak_in_flight: summaries['harness.in_flight'] ? summaries['harness.in_flight'].max : null,
    transport_errors: errors,
  };
}

module.exports = { runArtillery, endpointRows, runTotals };

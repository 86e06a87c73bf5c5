'use strict';
/**
 * Preloaded into every Node process of the server under test (`NODE_OPTIONS=--require …`, set by
 * the abuse scenario only): measures the event-loop delay with perf_hooks' monitorEventLoopDelay
 * and appends one JSON line per 250 ms window to `$EVENT_LOOP_PROBE_DIR/<pid>.jsonl`:
 * {t, role, p50, p99, max} in ms. It changes nothing in the server and works on any version of
 * it, so "before" and "after" are measured the same way. The timer is unref'd.
 */
const dir = process.env.EVENT_LOOP_PROBE_DIR;
if (dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const { monitorEventLoopDelay } = require('node:perf_hooks');
  const argv = process.argv.join(' ');
  const role = /dynamodb-process/.test(argv) ? 'database' : /local-server/.test(argv) ? 'server' : 'other';
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const file = path.join(dir, `${process.pid}.jsonl`);
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  setInterval(() => {
    if (histogram.count === 0) return;
    const line = { t: Date.now(), role, p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
    histogram.reset();
    try {
      fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // the run's directory is gone: nothing to report to
    }
  }, 250).unref();
}

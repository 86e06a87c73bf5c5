'use strict';
/**
 * Preloaded into the server's processes (`NODE_OPTIONS=--require …`, where Node refuses
 * `--cpu-prof`): samples the process's CPU from the first SIGUSR2 on (the harness sends it once
 * seeding is done, so the profile holds the measured requests only) and writes a `.cpuprofile` —
 * the format `node --cpu-prof` writes — into COST_CPU_PROF_DIR when the process exits.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.COST_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  // 500 µs, twice as fine as --cpu-prof's default 1 ms: a request costs about a millisecond.
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  let started = false;
  process.on('SIGUSR2', () => {
    if (started) return;
    started = true;
    session.post('Profiler.start');
  });
  process.once('exit', () => {
    if (!started) return;
    // A session in the process's own thread answers synchronously, so this completes before exit.
    session.post('Profiler.stop', (error, result) => {
      if (error || !result) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `CPU.${Date.now()}.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}

/**
 * Preloaded into the local server (NODE_OPTIONS=--import …/probe.mjs) by attacks.js: measures the
 * server's own event-loop delay with perf_hooks.monitorEventLoopDelay. Only the process that runs
 * bin/local-server.ts measures (the embedded dynalite inherits NODE_OPTIONS too). On SIGUSR2 it
 * writes the histogram since the last signal to $LOOP_PROBE_DIR/delay.json and starts a new one.
 * With LOOP_PROBE_CPU_PROFILE=1 it also profiles the server (the inspector's Profiler, as
 * `node --cpu-prof` does, which NODE_OPTIONS does not allow) and writes profile-<n>.cpuprofile.
 */
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.LOOP_PROBE_DIR;
const isServer = (process.argv[1] ?? '').endsWith(path.join('bin', 'local-server.ts'));

if (dir && isServer) {
  let histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  writeFileSync(path.join(dir, 'server.pid'), String(process.pid));
  let session;
  let profiles = 0;
  if (process.env.LOOP_PROBE_CPU_PROFILE === '1') {
    session = new Session();
    session.connect();
    session.post('Profiler.enable', () => session.post('Profiler.start'));
  }
  process.on('SIGUSR2', () => {
    if (session) {
      const n = profiles++;
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(path.join(dir, `profile-${n}.cpuprofile`), JSON.stringify(result.profile));
        session.post('Profiler.start');
      });
    }
    histogram.disable();
    const summary = {
      samples: histogram.count,
      p50_ms: ms(histogram.percentile(50)),
      p99_ms: ms(histogram.percentile(99)),
      max_ms: ms(histogram.max),
      mean_ms: ms(histogram.mean),
    };
    writeFileSync(path.join(dir, 'delay.json'), JSON.stringify(summary));
    histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
  });
}

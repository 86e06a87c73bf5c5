'use strict';
/**
 * Builds every function bundle (scripts/bundle-functions.ts, the CDK's own esbuild options) and
 * measures, per function, its size and its init: a fresh `node` process that imports the bundle,
 * 7 times, medians of the process's wall-clock and of the import itself — beside `node -e 0`.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PROBE = path.join(__dirname, 'init-probe.js');
const RUNS = 7;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A Lambda-like environment for the import: no endpoint, no Redis reachable is fine (clients connect lazily or fail later). */
function probeEnv() {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'probe',
    AWS_SECRET_ACCESS_KEY: 'probe',
    POWERTOOLS_SERVICE_NAME: 'variable-service',
    POWERTOOLS_METRICS_NAMESPACE: 'VariableService',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function probe(file) {
  const walls = [];
  const imports = [];
  const cpus = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t0 = process.hrtime.bigint();
    const result = spawnSync(process.execPath, file ? [PROBE, file] : ['-e', '0'], { env: probeEnv(), encoding: 'utf8', timeout: 60_000 });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (result.status !== 0) throw new Error(`loading ${file || 'node -e 0'} failed: ${(result.stderr || '').slice(0, 800)}`);
    if (file) {
      const line = JSON.parse(result.stdout.trim().split('\n').pop());
      imports.push(line.ms);
      cpus.push(line.cpu_ms);
    }
  }
  return {
    process_ms_median: Math.round(median(walls)),
    import_ms_median: imports.length ? Math.round(median(imports)) : null,
    import_cpu_ms_median: cpus.length ? Math.round(median(cpus)) : null,
  };
}

function measureBundles(root) {
  const outDir = path.join(root, 'dist', 'functions');
  console.log('building the function bundles (scripts/bundle-functions.ts) ...');
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bundle-functions.ts', outDir], {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (build.status !== 0) throw new Error(`bundling failed: ${build.stderr || build.stdout}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
  console.log(`measuring init: ${RUNS} fresh processes per bundle ...`);
  const floor = probe(undefined);
  const rows = manifest.map((entry) => ({
    function: entry.operation,
    kb: Math.round(entry.bytes / 1024),
    ...probe(path.join(outDir, entry.file)),
    // What dominates the bundle: KB per npm package (or the service's own code), from esbuild's metafile.
    largest: (entry.composition || [])
      .slice(0, 6)
      .map((c) => `${c.source} ${Math.round(c.bytes / 1024)}`)
      .join(', '),
    composition: entry.composition,
  }));
  return { node_e_0_ms_median: floor.process_ms_median, rows };
}

module.exports = { measureBundles };

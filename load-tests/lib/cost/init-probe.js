'use strict';
/**
 * Loads one built function bundle in this fresh process, as Lambda's init phase does, and prints
 * `{ms, cpu_ms}`: wall-clock and CPU of the import (module evaluation, clients built at init).
 * With no argument it loads nothing (the process floor).
 */
const { pathToFileURL } = require('node:url');

async function main() {
  const file = process.argv[2];
  const cpu = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  if (file) {
    const loaded = await import(pathToFileURL(file).href);
    const handler = loaded.handler ?? loaded.default?.handler;
    if (typeof handler !== 'function') throw new Error(`${file} exports no handler`);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${JSON.stringify({ ms, cpu_ms: (used.user + used.system) / 1000 })}\n`);
  // Clients built at init may hold sockets or timers: the probe measures loading, not running.
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error.message}\n`);
  process.exit(1);
});

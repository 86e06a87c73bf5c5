'use strict';
/**
 * CPU time of processes from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms), so the
 * harness can say how much CPU the server and the embedded database spent on a batch of requests.
 */
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  // Linux's usual value
}

/** CPU ms one process has used so far (0 when it is gone). */
function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Sum of CPU ms over pids. */
function totalCpuMs(pids) {
  return pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
}

module.exports = { cpuMs, totalCpuMs, cmdline, ticksPerSecond };

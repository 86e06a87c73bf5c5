'use strict';
/**
 * Starts the service's local server (`bin/local-server.ts` through the root's tsx, as `npm start`
 * and the tests do) on a free 127.0.0.1 port, waits for GET /api/health = 200, and stops it.
 * Also reads the resident memory of the server's whole process tree (tsx → server → workers).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

// LOAD_SERVER_ROOT=<checkout> runs another checkout's server (e.g. the base commit, for "before" figures).
const ROOT = path.resolve(process.env.LOAD_SERVER_ROOT || path.resolve(__dirname, '..', '..'));
const TSX_CLI = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {Record<string, string>} env overrides on top of the harness defaults
 * @returns {Promise<{baseUrl: string, port: number, pid: number, env: object, output: () => string,
 *   rss: () => object, stop: () => Promise<void>}>}
 */
async function startServer(env = {}) {
  if (!fs.existsSync(TSX_CLI)) {
    throw new Error(`tsx not found at ${TSX_CLI}: run \`npm ci\` in the repository root first`);
  }
  const port = await freePort();
  const serverEnv = {
    STORAGE: 'memory',
    REDIS_URL: '',
    API_TOKEN: '',
    // LOAD_SERVER_INSTANCES=N runs N worker processes (the server's LOCAL_INSTANCES).
    LOCAL_INSTANCES: process.env.LOAD_SERVER_INSTANCES || '1',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  let output = '';
  const child = spawn(process.execPath, [TSX_CLI, 'bin/local-server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...serverEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`local server exited before it was ready:\n${output.trim()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killTree(child.pid, 'SIGKILL');
      throw new Error(`local server not ready after ${START_TIMEOUT_MS / 1000} s:\n${output.trim()}`);
    }
    await sleep(200);
  }

  let stopped = false;
  return {
    baseUrl,
    port,
    pid: child.pid,
    env: serverEnv,
    output: () => output,
    rss: () => processTreeRss(child.pid),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const tree = descendants(child.pid);
      child.kill('SIGTERM');
      const result = await Promise.race([exited, sleep(STOP_TIMEOUT_MS).then(() => 'timeout')]);
      if (result === 'timeout') {
        for (const pid of [child.pid, ...tree]) safeKill(pid, 'SIGKILL');
        await exited;
      }
      // tsx relays the signal to its child; make sure no worker outlives the run.
      await sleep(200);
      for (const pid of tree) if (isAlive(pid)) safeKill(pid, 'SIGKILL');
    },
  };
}

// ---------------------------------------------------------------- /proc helpers (Linux)

function readParents() {
  const parents = new Map();
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm may contain spaces and parentheses: the fields after the last ')' are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
}

function descendants(rootPid) {
  const parents = readParents();
  const found = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift();
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function readStatus(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const name = /Name:\s+(\S+)/.exec(status);
    return { pid, name: name ? name[1] : '?', rssKb: rss ? Number(rss[1]) : 0 };
  } catch {
    return undefined;
  }
}

/** VmRSS of the root process and every descendant, in MiB; `largest` is the biggest single one. */
function processTreeRss(rootPid) {
  const processes = [rootPid, ...descendants(rootPid)].map(readStatus).filter(Boolean);
  const totalKb = processes.reduce((sum, p) => sum + p.rssKb, 0);
  const largest = processes.reduce((max, p) => (p.rssKb > max.rssKb ? p : max), { rssKb: 0 });
  return {
    total_mib: round1(totalKb / 1024),
    largest_mib: round1(largest.rssKb / 1024),
    processes: processes.map((p) => ({ pid: p.pid, name: p.name, rss_mib: round1(p.rssKb / 1024) })),
  };
}

function round1(n) {
  return Math.round(n * 10) / 10;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function safeKill(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function killTree(rootPid, signal) {
  for (const pid of [...descendants(rootPid), rootPid]) safeKill(pid, signal);
}

module.exports = { ROOT, freePort, startServer, processTreeRss, descendants };

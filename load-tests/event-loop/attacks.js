'use strict';
/**
 * The single-request attacks of issue 8 items 1–2, one after the other against a fresh local server,
 * each with bystanders (GET /api/health and a small GET, back to back) running while it lasts.
 * Reports, per attack: its answer (status, code, bytes) and time, the bystanders' p50/p95/max and
 * errors, the server's own event-loop delay (monitorEventLoopDelay inside the server, see probe.mjs)
 * and the peak RSS of the server's process tree.
 *
 *   node load-tests/event-loop/attacks.js [attack…]      # default: all, in the order below
 *   ATTACK_RESOLVE_REFS=100 node load-tests/event-loop/attacks.js resolve-output
 *   LOOP_PROBE_CPU_PROFILE=1 ATTACKS_PROFILE_DIR=/tmp/prof node load-tests/event-loop/attacks.js search
 *     (the server's CPU profile during each attack → /tmp/prof/<attack>.cpuprofile; read it with
 *      node load-tests/event-loop/top-of-profile.js /tmp/prof/search.cpuprofile)
 *
 * Needs only the repository root's install (no artillery). Bounded: every request times out.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer } = require('../lib/server');

const MIB = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 120_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deterministic names so before/after runs see the same data. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function call(baseUrl, method, urlPath, body) {
  const started = performance.now();
  try {
    const response = await fetch(baseUrl + urlPath, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let code;
    try {
      code = JSON.parse(text)?.error?.code;
    } catch {
      code = undefined;
    }
    return { status: response.status, code, bytes: Buffer.byteLength(text), ms: performance.now() - started, text };
  } catch (error) {
    return { status: 0, code: error.name, bytes: 0, ms: performance.now() - started, text: '' };
  }
}

const exec = (id) => `/api/v1/executions/${id}`;

/** A 503 while seeding (a 1 MiB write on a busy machine) is retried after its Retry-After. */
async function put(baseUrl, id, name, value, step = 0) {
  for (let attempt = 0; ; attempt++) {
    const answer = await call(baseUrl, 'PUT', `${exec(id)}/variables/${name}`, { value, source_step_index: step });
    if (answer.status < 300) return;
    if (answer.status !== 503 || attempt >= 5)
      throw new Error(`seeding ${id}/${name.slice(0, 40)}: ${answer.status} ${answer.text.slice(0, 200)}`);
    await sleep(1000);
  }
}

async function postBatch(baseUrl, id, variables) {
  for (let i = 0; i < variables.length; i += 100) {
    const answer = await call(baseUrl, 'POST', `${exec(id)}/variables`, { variables: variables.slice(i, i + 100) });
    if (answer.status >= 300) throw new Error(`seeding ${id}: ${answer.status} ${answer.text.slice(0, 200)}`);
  }
}

/** An object of about `bytes` of compact JSON made of many small keys. */
function manySmallKeys(bytes, prefix = 'k') {
  const object = {};
  for (let i = 0, size = 2; size < bytes - 40; i++) {
    const key = `${prefix}${String(i).padStart(6, '0')}`;
    object[key] = i % 10;
    size += key.length + 5;
  }
  return object;
}

const abNames = (count, seed) => {
  const random = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    let name = `v${i}_`;
    while (name.length < 190) name += random() < 0.5 ? 'a' : 'b';
    return name;
  });
};

const ATTACKS = {
  'resolve-output': {
    what: () => `POST /resolve, params = ${Number(process.env.ATTACK_RESOLVE_REFS || 1000)} × "\${big}" (1 MiB string), record:false`,
    async seed(baseUrl, id) {
      await put(baseUrl, id, 'big', 'x'.repeat(MIB - 2));
    },
    run: (baseUrl, id) =>
      call(baseUrl, 'POST', `${exec(id)}/resolve`, {
        step_index: 1,
        params: Array(Number(process.env.ATTACK_RESOLVE_REFS || 1000)).fill('${big}'),
        record: false,
      }),
  },
  search: {
    what: () => 'GET search, 1,000 names of 190 code points over {a,b}, q = "ba"×50',
    async seed(baseUrl, id) {
      await postBatch(
        baseUrl,
        id,
        abNames(1000, 1).map((name) => ({ variable_name: name, value: 1, source_step_index: 0 })),
      );
    },
    run: (baseUrl, id) => call(baseUrl, 'GET', `${exec(id)}/variable-suggestions/search?q=${'ba'.repeat(50)}`),
  },
  'search-10k': {
    what: () => 'GET search, 10,000 names of 190 code points over {a,b}, q = "ba"×50',
    async seed(baseUrl, id) {
      await postBatch(
        baseUrl,
        id,
        abNames(10_000, 2).map((name) => ({ variable_name: name, value: 1, source_step_index: 0 })),
      );
    },
    run: (baseUrl, id) => call(baseUrl, 'GET', `${exec(id)}/variable-suggestions/search?q=${'ba'.repeat(50)}`),
  },
  suggestions: {
    what: () => 'GET variable-suggestions, 20 objects of 1 MiB with many small keys',
    async seed(baseUrl, id) {
      for (let i = 0; i < 20; i++) await put(baseUrl, id, `obj${i}`, manySmallKeys(MIB - 64), i);
    },
    async run(baseUrl, id) {
      const answer = await call(baseUrl, 'GET', `${exec(id)}/variable-suggestions`);
      // The editor asks again while a tester types: the second answer, from warmed property lists.
      const again = await call(baseUrl, 'GET', `${exec(id)}/variable-suggestions`);
      const mode = (text) => {
        try {
          return JSON.parse(text).mode;
        } catch {
          return '?';
        }
      };
      answer.extra = `mode ${mode(answer.text)}; again: ${again.status} ${mode(again.text)} ${again.bytes} B in ${Math.round(again.ms)} ms`;
      return answer;
    },
  },
  properties: {
    what: () => 'GET properties?max_depth=5 of a 1 MiB object, 3 levels of small keys, 255-char name',
    async seed(baseUrl, id) {
      const value = {};
      for (let a = 0; a < 60; a++) {
        const middle = {};
        for (let b = 0; b < 60; b++) middle[`m${b}`] = manySmallKeys(220, 'x');
        value[`t${a}`] = middle;
      }
      await put(baseUrl, id, 'p'.repeat(255), value);
    },
    run: (baseUrl, id) => call(baseUrl, 'GET', `${exec(id)}/variables/${'p'.repeat(255)}/properties?max_depth=5`),
  },
  validate: {
    what: () => 'POST validate, 20 missing keys of an object with 14,000 keys of 64 characters',
    async seed(baseUrl, id) {
      const value = {};
      const random = prng(3);
      for (let i = 0; i < 14_000; i++) {
        let key = '';
        while (key.length < 64) key += String.fromCharCode(97 + Math.floor(random() * 26));
        value[key] = 0;
      }
      await put(baseUrl, id, 'wide', value);
    },
    run: (baseUrl, id) =>
      call(baseUrl, 'POST', `${exec(id)}/variables/validate`, {
        references: Array.from({ length: 20 }, (_, i) => `\${wide.${String(i).repeat(64).slice(0, 64)}}`),
      }),
  },
  lineage: {
    what: () => 'POST /resolve, 40 whole-field "${blob}" (1 MiB object), record:true, then the listing',
    async seed(baseUrl, id) {
      await put(baseUrl, id, 'blob', manySmallKeys(MIB - 64));
    },
    async run(baseUrl, id) {
      const params = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, '${blob}']));
      const answer = await call(baseUrl, 'POST', `${exec(id)}/resolve`, { step_index: 1, params });
      const listing = await call(baseUrl, 'GET', `${exec(id)}/variable-references?limit=1000`);
      let records = [];
      try {
        records = JSON.parse(listing.text).references ?? [];
      } catch {
        /* reported as is */
      }
      answer.extra =
        `listing ${listing.status}: ${records.length} records, longest resolved_value ` +
        `${Math.max(0, ...records.map((r) => (r.resolved_value ?? '').length))}`;
      return answer;
    },
  },
};

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function bystanders(baseUrl, smallPath, until) {
  const latencies = [];
  let errors = 0;
  while (!until.done) {
    for (const urlPath of ['/api/health', smallPath]) {
      const answer = await call(baseUrl, 'GET', urlPath);
      latencies.push(answer.ms);
      if (answer.status !== 200) errors++;
    }
    await sleep(20);
  }
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    errors,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies[latencies.length - 1],
  };
}

async function loopDelay(probeDir, serverPid) {
  const file = path.join(probeDir, 'delay.json');
  fs.rmSync(file, { force: true });
  process.kill(serverPid, 'SIGUSR2');
  for (let i = 0; i < 600 && !fs.existsSync(file); i++) await sleep(100);
  await sleep(50);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

async function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(ATTACKS);
  for (const name of names) if (!ATTACKS[name]) throw new Error(`unknown attack ${name}; known: ${Object.keys(ATTACKS).join(', ')}`);
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loop-probe-'));
  const probe = path.join(__dirname, 'probe.mjs');
  const server = await startServer({
    LOOP_PROBE_DIR: probeDir,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${probe}`.trim(),
  });
  const rows = [];
  try {
    const serverPid = Number(fs.readFileSync(path.join(probeDir, 'server.pid'), 'utf8'));
    await put(server.baseUrl, 'bystander', 'small', { ok: true });
    for (const name of names) {
      const attack = ATTACKS[name];
      const id = `attack-${name}`;
      process.stdout.write(`seeding ${name}…\n`);
      await attack.seed(server.baseUrl, id);
      await sleep(300);
      await loopDelay(probeDir, serverPid); // start a fresh histogram
      const until = { done: false };
      let peakRss = 0;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, server.rss().total_mib);
      }, 200);
      const watching = bystanders(server.baseUrl, `${exec('bystander')}/variables/small`, until);
      const answer = await attack.run(server.baseUrl, id);
      until.done = true;
      const bystander = await watching;
      clearInterval(sampler);
      const delay = await loopDelay(probeDir, serverPid);
      if (process.env.LOOP_PROBE_CPU_PROFILE === '1' && process.env.ATTACKS_PROFILE_DIR) {
        await sleep(500);
        const profiles = fs
          .readdirSync(probeDir)
          .filter((f) => f.endsWith('.cpuprofile'))
          .sort((a, b) => Number(a.match(/\d+/)[0]) - Number(b.match(/\d+/)[0]));
        const last = profiles[profiles.length - 1];
        if (last) fs.copyFileSync(path.join(probeDir, last), path.join(process.env.ATTACKS_PROFILE_DIR, `${name}.cpuprofile`));
      }
      const row = {
        attack: name,
        what: attack.what(),
        status: answer.status,
        code: answer.code ?? null,
        bytes: answer.bytes,
        ms: Math.round(answer.ms),
        extra: answer.extra,
        bystanders: bystander,
        loop_delay: delay,
        peak_rss_mib: peakRss,
      };
      rows.push(row);
      const f = (n) => (Number.isFinite(n) ? n.toFixed(0) : '-');
      process.stdout.write(
        `${name.padEnd(15)} ${answer.status} ${String(answer.code ?? '').padEnd(20)} ` +
          `${String(answer.bytes).padStart(10)} B ${String(row.ms).padStart(7)} ms | ` +
          `bystanders n=${bystander.count} err=${bystander.errors} p50=${f(bystander.p50)} ` +
          `p95=${f(bystander.p95)} max=${f(bystander.max)} ms | ` +
          `loop p99=${delay?.p99_ms ?? '-'} max=${delay?.max_ms ?? '-'} ms | peak RSS ${peakRss} ` +
          `MiB${answer.extra ? ` | ${answer.extra}` : ''}\n`,
      );
    }
  } finally {
    await server.stop();
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
  const out = process.env.ATTACKS_REPORT;
  if (out) fs.writeFileSync(out, JSON.stringify(rows, null, 2));
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});

'use strict';
/**
 * `npm run load -- abuse`: the hostile requests of issue 8, one after the other, each on a fresh
 * server (an attack that kills its server or database cannot spoil the next one), each under
 * background traffic from well-behaved clients. Per attack it reports the attack's answer and
 * time, the bystanders' p50/p95/errors, the peak RSS of the server's process tree and the
 * event-loop delay of the server process (p99 of the worst 250 ms window, and the max), measured
 * by a preloaded probe (lib/event-loop-probe.js) that works on any version of the server, so a run
 * against an older commit measures the same things. It never fails on the server's answers: a
 * server that dies is a result ("server exited", "database down").
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createClient, runPool } = require('../http');
const { Recorder, round } = require('../stats');

const MIB = 1024 * 1024;
const ATTACKER = { authorization: 'Bearer attacker-token' };
const BYSTANDER = { authorization: 'Bearer bystander-token' };
const ATTACK_TIMEOUT_MS = 120_000;
const RATE_LIMIT = 120;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A string whose JSON is just under `bytes`. */
const bigString = (bytes) => 'x'.repeat(bytes - 16);

/** An object of many small keys whose JSON is about `bytes`. */
function manyKeys(bytes, seed) {
  const value = {};
  let size = 2;
  for (let i = 0; size < bytes - 32; i += 1) {
    const key = `k${seed}_${i}`;
    value[key] = i;
    size += key.length + String(i).length + 4;
  }
  return value;
}

/** Deterministic names of ~190 code points over a small alphabet (difflib's worst case is many matches). */
function longNames(count) {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: count }, (_, i) => {
    let name = 'b';
    while (name.length < 184) name += 'ab'[next() % 2];
    return `${name}_${i}`;
  });
}

async function put(client, executionId, name, value, step = 0) {
  const result = await client.request('PUT', `/executions/${executionId}/variables/${name}`, { value, source_step_index: step }, BYSTANDER);
  if (result.status !== 200 && result.status !== 201) throw new Error(`seeding ${name} answered ${result.status || result.error}`);
}

async function postBatch(client, executionId, variables) {
  const result = await client.request('POST', `/executions/${executionId}/variables`, { variables }, BYSTANDER);
  if (result.status !== 200) throw new Error(`seeding a batch answered ${result.status || result.error}`);
}

const describeAnswer = (result) =>
  result.status ? `${result.status}${result.json?.error?.code ? ` ${result.json.error.code}` : ''}` : result.error || 'no answer';
const mib = (bytes) => `${round(bytes / MIB, 1)} MiB`;

/** The seven attacks of issue 8: seed (not measured), then the attack itself. */
const ATTACKS = [
  {
    name: 'lineage-bomb',
    what: '40 whole-field references to a 1 MiB variable, recorded (≈80 MiB of lineage before the cap)',
    async seed(client, id) {
      await put(client, id, 'big', bigString(MIB - 64));
    },
    async attack(client, id) {
      const r = await client.request(
        'POST',
        `/executions/${id}/resolve`,
        { step_index: 1, params: Array.from({ length: 40 }, () => '${big}') },
        ATTACKER,
      );
      return { result: r, answer: `${describeAnswer(r)}, ${mib(r.bytes || 0)}` };
    },
  },
  {
    name: 'resolve-output',
    what: 'params: Array(1000).fill("${big}") with record: false (a 1 GiB answer if built)',
    async seed(client, id) {
      await put(client, id, 'big', bigString(MIB - 64));
    },
    async attack(client, id) {
      const r = await client.request(
        'POST',
        `/executions/${id}/resolve`,
        { step_index: 1, record: false, params: Array.from({ length: 1000 }, () => '${big}') },
        ATTACKER,
      );
      return { result: r, answer: `${describeAnswer(r)}, ${mib(r.bytes || 0)}` };
    },
  },
  {
    name: 'search',
    what: 'q = "ba" x 50 over 1,000 names of ~190 code points',
    async seed(client, id) {
      const names = longNames(1000);
      for (let i = 0; i < names.length; i += 100) {
        await postBatch(
          client,
          id,
          names.slice(i, i + 100).map((name, j) => ({ variable_name: name, value: i + j, source_step_index: 0 })),
        );
      }
    },
    async attack(client, id) {
      const r = await client.request(
        'GET',
        `/executions/${id}/variable-suggestions/search?q=${'ba'.repeat(50)}&limit=20`,
        undefined,
        ATTACKER,
      );
      return { result: r, answer: `${describeAnswer(r)}, ${r.json?.count ?? '?'} matches` };
    },
  },
  {
    name: 'suggestions',
    what: '20 objects of ~1 MiB with many small keys, GET variable-suggestions with properties',
    async seed(client, id) {
      for (let i = 0; i < 20; i += 1) await put(client, id, `obj_${i}`, manyKeys(MIB - 4096, i), i);
    },
    async attack(client, id) {
      const r = await client.request(
        'GET',
        `/executions/${id}/variable-suggestions?step_index=100&include_properties=true`,
        undefined,
        ATTACKER,
      );
      return { result: r, answer: `${describeAnswer(r)}, ${mib(r.bytes || 0)}${r.json?.mode ? `, mode ${r.json.mode}` : ''}` };
    },
  },
  {
    name: 'burst',
    what: '500 concurrent small requests (PUT/GET) on a fresh server',
    connections: 500,
    async seed() {},
    async attack(client, id) {
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 500 }, (_, i) => {
          const execution = `${id}-${i % 50}`;
          return i % 2 === 0
            ? client.request('PUT', `/executions/${execution}/variables/v${i % 10}`, { value: { i }, source_step_index: 1 }, ATTACKER)
            : client.request('GET', `/executions/${execution}/variables?limit=10`, undefined, ATTACKER);
        }),
      );
      const counts = {};
      for (const r of results) counts[describeAnswer(r)] = (counts[describeAnswer(r)] || 0) + 1;
      const ok = results.filter((r) => r.status >= 200 && r.status < 300).length;
      return {
        result: { status: ok === 500 ? 200 : 0, ms: Date.now() - started },
        answer: Object.entries(counts)
          .map(([k, n]) => `${n}x ${k}`)
          .join(', '),
        ok,
      };
    },
  },
  {
    name: 'large-delete',
    what: 'DELETE of an execution with ~40,000 lineage records',
    async seed(client, id) {
      await postBatch(
        client,
        id,
        Array.from({ length: 50 }, (_, i) => ({ variable_name: `v${i}`, value: { i }, source_step_index: 0 })),
      );
      await runPool({
        count: 40,
        concurrency: 2,
        operation: async (step) => {
          const r = await client.request(
            'POST',
            `/executions/${id}/resolve`,
            { step_index: step + 1, params: Array.from({ length: 1000 }, (_, i) => `\${v${i % 50}}`) },
            BYSTANDER,
          );
          if (r.status !== 200) throw new Error(`seeding lineage answered ${describeAnswer(r)}`);
        },
      });
    },
    async attack(client, id) {
      const r = await client.request('DELETE', `/executions/${id}`, undefined, ATTACKER);
      const after = await client.request('GET', `/executions/${id}`, undefined, BYSTANDER);
      return {
        result: r,
        answer:
          `${describeAnswer(r)}${r.json?.status ? ` ${r.json.status}` : ''}; summary right after: ` +
          `${after.status} references_count=${after.json?.references_count ?? '?'}`,
      };
    },
  },
  {
    name: 'rate',
    what: `one client sends 400 requests as fast as it can (RATE_LIMIT_PER_MINUTE=${RATE_LIMIT})`,
    env: { RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) },
    // Well-behaved bystanders stay under their own limit (2 lanes, one request a lane per 1.1 s),
    // so any 429 they get would be the attacker's count leaking into theirs.
    bystanderPaceMs: Math.ceil((2 * 60_000) / RATE_LIMIT) + 100,
    async seed(client, id) {
      await put(client, id, 'v', 1);
    },
    async attack(client, id) {
      const started = Date.now();
      const counts = {};
      await runPool({
        count: 400,
        concurrency: 8,
        operation: async () => {
          const r = await client.request('GET', `/executions/${id}/variables/v`, undefined, ATTACKER);
          counts[describeAnswer(r)] = (counts[describeAnswer(r)] || 0) + 1;
        },
      });
      return {
        result: { status: 200, ms: Date.now() - started },
        answer: Object.entries(counts)
          .map(([k, n]) => `${n}x ${k}`)
          .join(', '),
      };
    },
  },
];

/** Well-behaved clients during the attack: 2 lanes alternating a read and a write of their own execution. */
function startBystanders(client, executionId, recorder, paceMs = 0) {
  let stop = false;
  let n = 0;
  const lane = async () => {
    while (!stop) {
      n += 1;
      const result =
        n % 2 === 0
          ? await client.request('PUT', `/executions/${executionId}/variables/b${n % 5}`, { value: { n }, source_step_index: 1 }, BYSTANDER)
          : await client.request('GET', `/executions/${executionId}/variables/seeded`, undefined, BYSTANDER);
      recorder.record('bystander', result, [200, 201]);
      if (result.status === 0)
        await sleep(100); // a dead server: do not spin
      else if (paceMs > 0) await sleep(paceMs);
    }
  };
  const lanes = [lane(), lane()];
  return async () => {
    stop = true;
    await Promise.all(lanes);
  };
}

function eventLoopDelay(probeDir, from, to) {
  const windows = { server: [], database: [] };
  for (const file of fs.existsSync(probeDir) ? fs.readdirSync(probeDir) : []) {
    for (const line of fs.readFileSync(path.join(probeDir, file), 'utf8').split('\n')) {
      if (!line) continue;
      const sample = JSON.parse(line);
      if (sample.t >= from && sample.t <= to + 250 && windows[sample.role]) windows[sample.role].push(sample);
    }
  }
  const worst = (samples, key) => (samples.length ? Math.max(...samples.map((s) => s[key])) : null);
  return {
    server_p99_ms: worst(windows.server, 'p99'),
    server_max_ms: worst(windows.server, 'max'),
    database_p99_ms: worst(windows.database, 'p99'),
  };
}

async function runAttack(ctx, attack, index) {
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'abuse-eld-'));
  const probe = path.resolve(__dirname, '..', 'event-loop-probe.js');
  const server = await ctx.startServer(
    { ...(attack.env || {}), EVENT_LOOP_PROBE_DIR: probeDir, NODE_OPTIONS: `${process.env.NODE_OPTIONS || ''} --require ${probe}`.trim() },
    attack.name,
  );
  const client = createClient(server.baseUrl, { connections: attack.connections || 16, timeoutMs: ATTACK_TIMEOUT_MS });
  const bystanderClient = createClient(server.baseUrl, { connections: 4, timeoutMs: 30_000 });
  const executionId = `${ctx.runTag}-abuse-${index}`;
  const bystanderExecution = `${ctx.runTag}-bystander-${index}`;
  const row = { attack: attack.name };
  try {
    const t0 = Date.now();
    await attack.seed(client, executionId);
    await put(bystanderClient, bystanderExecution, 'seeded', { hello: 'world' });
    console.log(`  ${attack.name}: seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s; attacking ...`);

    const recorder = new Recorder();
    let peak = { total_mib: 0, largest_mib: 0 };
    const sampler = setInterval(() => {
      const rss = server.rss();
      if (rss.total_mib > peak.total_mib) peak = { ...peak, total_mib: rss.total_mib };
      if (rss.largest_mib > peak.largest_mib) peak = { ...peak, largest_mib: rss.largest_mib };
    }, 200);
    const stopBystanders = startBystanders(bystanderClient, bystanderExecution, recorder, attack.bystanderPaceMs);
    await sleep(500);
    const from = Date.now();
    const outcome = await attack.attack(client, executionId);
    const attackMs = Date.now() - from;
    await sleep(1000); // the bystanders also see what the attack leaves behind for a second
    const to = Date.now();
    await stopBystanders();
    clearInterval(sampler);

    const health = await bystanderClient.request('GET', '/api/health');
    const bystanders = recorder.rows()[0] || { requests: 0, errors: 0, p50: null, p95: null, codes: {} };
    Object.assign(row, {
      answer: outcome.answer,
      attack_ms: outcome.result?.ms !== undefined ? round(outcome.result.ms, 0) : attackMs,
      bystanders: bystanders.requests,
      bystander_errors: bystanders.errors,
      bystander_p50: bystanders.p50,
      bystander_p95: bystanders.p95,
      bystander_codes: bystanders.codes,
      peak_rss_mib: peak.total_mib,
      peak_process_mib: peak.largest_mib,
      ...eventLoopDelay(probeDir, from, to),
      after:
        health.status === 200
          ? 'healthy'
          : health.status === 503
            ? 'database down (health 503)'
            : health.status === 0
              ? `server not answering (${health.error})`
              : `health ${health.status}`,
    });
  } catch (error) {
    Object.assign(row, { answer: `harness: ${error.message.slice(0, 200)}`, after: 'not measured' });
  } finally {
    client.close();
    bystanderClient.close();
    await server.stop();
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
  console.log(
    `  ${attack.name}: ${row.answer} in ${row.attack_ms ?? '?'} ms; bystanders p95 ${row.bystander_p95 ?? '-'} ` +
      `ms, ${row.bystander_errors ?? '?'} errors; after: ${row.after}`,
  );
  return row;
}

module.exports = {
  description:
    'the seven attacks of issue 8, each on a fresh server under background traffic: answers, bystanders, peak RSS, event-loop delay',
  async run(ctx) {
    const only = process.env.ABUSE_ONLY ? process.env.ABUSE_ONLY.split(',') : undefined;
    const rows = [];
    for (const [index, attack] of ATTACKS.entries()) {
      if (only && !only.includes(attack.name)) continue;
      rows.push(await runAttack(ctx, attack, index));
    }
    return {
      tables: [
        {
          title: 'abuse: per attack (bystanders = 2 lanes of GET/PUT on their own execution during the attack and 1 s after)',
          rows,
          columns: [
            ['attack', 'attack'],
            ['attack_ms', 'attack ms'],
            ['bystanders', 'bystanders'],
            ['bystander_errors', 'errors'],
            ['bystander_p50', 'p50 ms'],
            ['bystander_p95', 'p95 ms'],
            ['peak_rss_mib', 'peak RSS MiB'],
            ['peak_process_mib', 'largest MiB'],
            ['server_p99_ms', 'loop p99 ms'],
            ['server_max_ms', 'loop max ms'],
            ['after', 'after'],
          ],
        },
      ],
      notes: [
        '\nattack answers:',
        ...rows.map((row) => `  ${row.attack.padEnd(15)} ${row.answer}`),
        'loop p99 = event-loop delay of the server process: the p99 of its worst 250 ms window during ' +
          'the attack (+1 s); max = the longest single delay.',
      ],
      details: { attacks: ATTACKS.map(({ name, what }) => ({ name, what })), server_root: ctx.serverRoot },
    };
  },
};

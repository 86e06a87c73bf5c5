'use strict';
/**
 * Issue 5: a long mixed run to see whether the server's memory levels off. 200,000 operations
 * (store/get/list/suggestions/resolve) over 1,000 executions with 64 in flight, bounded by count
 * and by time; the resident memory of the server's process tree is sampled every 5 s.
 *
 * Stored data is bounded on purpose (stores overwrite 20 names per execution, resolve runs with
 * record: false), so after the first pass over the executions a growing RSS means retained
 * garbage, not more data.
 */
const dataset = require('../dataset');
const { createClient, runPool } = require('../http');
const { seedBatches } = require('../seed');
const { Recorder, percentile, round } = require('../stats');

const OPERATIONS = Number(process.env.SOAK_OPERATIONS) || 200_000;
const MAX_LOAD_SECONDS = Number(process.env.SOAK_MAX_SECONDS) || 450;
const EXECUTIONS = 1000;
const SEEDED = 10;
const STORE_NAMES = 20;
const CONCURRENCY = 64;
const SAMPLE_EVERY_MS = 5000;
const PROGRESS_EVERY = Number(process.env.SOAK_PROGRESS_EVERY) || 10_000;
/** Cumulative weights of the mix: store 30 %, get 30 %, list 15 %, suggestions 15 %, resolve 10 %. */
const MIX = [
  ['store', 0.3],
  ['get', 0.6],
  ['list', 0.75],
  ['suggestions', 0.9],
  ['resolve', 1],
];

module.exports = {
  description:
    `${OPERATIONS.toLocaleString('en')} mixed operations over ${EXECUTIONS} executions, ` +
    `${CONCURRENCY} in flight, RSS sampled every 5 s (stops after ${MAX_LOAD_SECONDS} s at the latest)`,
  async run(ctx) {
    const server = await ctx.startServer();
    const client = createClient(server.baseUrl, { connections: CONCURRENCY });
    const samples = [];
    const sample = (phase, operations) => {
      const rss = server.rss();
      const entry = { t_s: round((Date.now() - t0) / 1000), phase, operations, total_mib: rss.total_mib, server_mib: rss.largest_mib };
      samples.push(entry);
      return entry;
    };
    const t0 = Date.now();
    let done = 0;
    let sampler;
    try {
      const before = sample('before', 0);
      console.log(`  RSS before: ${before.total_mib} MiB (process tree), largest process ${before.server_mib} MiB`);
      const executionIds = Array.from({ length: EXECUTIONS }, (_, e) => `${ctx.runTag}-soak-${e}`);
      const seed = await seedBatches(
        client,
        executionIds.map((executionId, e) => ({
          executionId,
          variables: Array.from({ length: SEEDED }, (_, i) => ({
            variable_name: dataset.seededName(i),
            value: dataset.smallObject(e * 100 + i),
            source_step_index: i,
          })),
        })),
        { concurrency: 4, label: `seeding ${EXECUTIONS} executions x ${SEEDED} variables`, progressEvery: 250 },
      );
      const seeded = sample('seeded', 0);
      console.log(`  RSS after seeding: ${seeded.total_mib} MiB`);

      const recorder = new Recorder();
      let errors = 0;
      let lastProgress = Date.now();
      const loadStart = Date.now();
      sampler = setInterval(() => sample('during', done), SAMPLE_EVERY_MS);
      const { started, timedOut } = await runPool({
        count: OPERATIONS,
        concurrency: CONCURRENCY,
        deadline: loadStart + MAX_LOAD_SECONDS * 1000,
        operation: async (i) => {
          const [kind, method, path, body] = operation(i, executionIds);
          const result = await client.request(method, path, body);
          recorder.record(kind, result);
          if (result.status !== 200 && result.status !== 201) errors += 1;
        },
        onProgress: (completed) => {
          done = completed;
          if (completed % PROGRESS_EVERY !== 0) return;
          const now = Date.now();
          const rss = server.rss();
          console.log(
            `  ${String(completed).padStart(7)} ops  ${((now - loadStart) / 1000).toFixed(0).padStart(4)} s  ` +
              `${(PROGRESS_EVERY / ((now - lastProgress) / 1000)).toFixed(0).padStart(5)} ops/s  errors ` +
              `${errors}  RSS ${rss.total_mib} MiB`,
          );
          lastProgress = now;
        },
      });
      clearInterval(sampler);
      sampler = undefined;
      const loadSeconds = (Date.now() - loadStart) / 1000;
      const after = sample('after', done);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const idle = sample('after 10 s idle', done);

      const trend = rssTrend(samples.filter((s) => s.phase === 'during'));
      const rows = recorder.rows().sort((a, b) => MIX.findIndex(([k]) => k === a.endpoint) - MIX.findIndex(([k]) => k === b.endpoint));
      return {
        tables: [
          {
            title:
              `soak: ${done.toLocaleString('en')} operations in ${loadSeconds.toFixed(0)} s ` +
              `(${(done / loadSeconds).toFixed(0)} ops/s), ${CONCURRENCY} in flight, ${EXECUTIONS} executions`,
            rows,
            targetOf: { store: 'store', get: 'get', list: 'list', suggestions: 'suggestions' },
          },
          {
            title: 'server RSS (MiB; process tree = tsx wrapper + server + esbuild service + workers)',
            rows: rssRows(samples),
            columns: [
              ['label', 'when'],
              ['t_s', 't s'],
              ['operations', 'ops done'],
              ['total_mib', 'tree MiB'],
              ['server_mib', 'largest MiB'],
            ],
          },
        ],
        notes: [
          timedOut
            ? `\nstopped at the ${MAX_LOAD_SECONDS} s limit after ${started.toLocaleString('en')} of ` +
              `${OPERATIONS.toLocaleString('en')} operations`
            : `\nall ${OPERATIONS.toLocaleString('en')} operations done`,
          `RSS: before ${samples[0].total_mib} MiB, after seeding ${seeded.total_mib}, during min ` +
            `${trend.min} / max ${trend.max}, end of load ${after.total_mib}, after 10 s idle ${idle.total_mib} MiB`,
          `RSS trend: ${trend.verdict}`,
        ],
        details: {
          seed,
          operations_planned: OPERATIONS,
          operations_done: done,
          load_seconds: round(loadSeconds),
          stopped_by_time_limit: timedOut,
          rss_samples: samples,
          rss_trend: trend,
        },
      };
    } finally {
      if (sampler) clearInterval(sampler);
      client.close();
    }
  },
};

/** The i-th operation: [kind, method, path, body]. Deterministic, spread over all executions. */
function operation(i, executionIds) {
  const executionId = executionIds[(i * 7919) % executionIds.length];
  const base = `/executions/${executionId}`;
  const r = ((i * 2654435761) % 1000) / 1000;
  const kind = MIX.find(([, cumulative]) => r < cumulative)[0];
  switch (kind) {
    case 'store':
      return [
        kind,
        'PUT',
        `${base}/variables/soak_${i % STORE_NAMES}`,
        { value: dataset.smallObject(i), source_step_index: SEEDED + (i % 50), source_api_method: 'aiQuery' },
      ];
    case 'get':
      return [kind, 'GET', `${base}/variables/${dataset.seededName(i % SEEDED)}`];
    case 'list':
      return [kind, 'GET', `${base}/variables?limit=100`];
    case 'suggestions':
      return [kind, 'GET', `${base}/variable-suggestions?step_index=${SEEDED}`];
    default:
      return [
        kind,
        'POST',
        `${base}/resolve`,
        {
          step_index: 100,
          record: false,
          params: {
            name: `\${${dataset.seededName(i % SEEDED)}.name}`,
            text: `price \${var_1.price}, tags \${var_2.tags[-1]}`,
            missing: '${nope}',
          },
        },
      ];
  }
}

/** Compares the middle third of the load with the last third: does memory keep climbing? */
function rssTrend(during) {
  if (during.length < 6) return { verdict: 'too few samples to tell', min: null, max: null };
  const values = during.map((s) => s.total_mib);
  const third = Math.floor(values.length / 3);
  const median = (xs) => percentile(Float64Array.from(xs).sort(), 50);
  const middle = median(values.slice(third, 2 * third));
  const last = median(values.slice(2 * third));
  const growth = round(last - middle);
  const percent = round((100 * (last - middle)) / middle);
  const verdict =
    percent <= 5
      ? `levels off (median of the last third ${last} MiB vs middle third ${middle} MiB: ` +
        `${growth >= 0 ? '+' : ''}${growth} MiB, ${percent} %)`
      : `still growing (median of the last third ${last} MiB vs middle third ${middle} MiB: +${growth} MiB, +${percent} %)`;
  return {
    verdict,
    min: Math.min(...values),
    max: Math.max(...values),
    middle_third_median_mib: middle,
    last_third_median_mib: last,
    growth_mib: growth,
  };
}

/** before / seeded / about ten evenly spaced samples during the load / after. */
function rssRows(samples) {
  const during = samples.filter((s) => s.phase === 'during');
  const step = Math.max(1, Math.ceil(during.length / 10));
  const picked = during.filter((_, i) => i % step === 0 || i === during.length - 1);
  return [
    ...samples.filter((s) => s.phase === 'before' || s.phase === 'seeded'),
    ...picked,
    ...samples.filter((s) => s.phase.startsWith('after')),
  ].map((s) => ({ label: s.phase, ...s }));
}

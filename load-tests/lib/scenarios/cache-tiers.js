'use strict';
/**
 * Issue 5: what each cache tier is worth. The same read load (50 requests in flight over 50
 * keep-alive connections, cycling over a few hot variables) against three server setups:
 *   L1     default settings: the in-process cache serves repeated reads
 *   Redis  REDIS_URL set and L1_CACHE_MAX_BYTES=1 (nothing fits in L1): reads come from Redis
 *   Dynamo no Redis and L1_CACHE_MAX_BYTES=1: every read goes to the database
 */
const { execFileSync } = require('node:child_process');
const dataset = require('../dataset');
const { createClient, runPool } = require('../http');
const { seedBatches } = require('../seed');
const { Recorder } = require('../stats');

const CONCURRENCY = 50;
const GETS = 6000;
const LISTS = 3000;
const PHASE_DEADLINE_MS = 60_000;
const EXECUTIONS = 5;
const HOT_NAMES = 4;
const REDIS_URL = process.env.LOAD_REDIS_URL || 'redis://127.0.0.1:6379';
if (new URL(REDIS_URL).hostname !== '127.0.0.1') throw new Error(`LOAD_REDIS_URL must point at 127.0.0.1, not ${REDIS_URL}`);

const SETUPS = [
  { tier: 'L1', env: {}, description: 'default settings (L1 on, no Redis)' },
  { tier: 'Redis', env: { REDIS_URL, L1_CACHE_MAX_BYTES: '1' }, description: `REDIS_URL=${REDIS_URL}, L1_CACHE_MAX_BYTES=1` },
  { tier: 'DynamoDB', env: { L1_CACHE_MAX_BYTES: '1' }, description: 'no Redis, L1_CACHE_MAX_BYTES=1' },
];

module.exports = {
  description: `p95 of GET variable (and list) at ${CONCURRENCY} in flight, served by L1, by Redis, by DynamoDB alone`,
  async run(ctx) {
    const results = [];
    for (const setup of SETUPS) {
      const server = await ctx.startServer(setup.env, `${setup.tier} tier`);
      try {
        results.push({ ...setup, ...(await measure(ctx, server, setup)) });
      } finally {
        await server.stop();
      }
    }
    const getRows = results.map((r) => ({ ...r.rows.get, endpoint: `get (${r.tier})`, tier: r.tier }));
    const listRows = results.map((r) => ({ ...r.rows.list, endpoint: `list (${r.tier})`, tier: r.tier }));
    const sideBySide = [
      ...['p50', 'p95', 'p99'].map((p) => ({
        endpoint: `GET variable ${p} ms`,
        ...Object.fromEntries(results.map((r) => [r.tier, r.rows.get[p]])),
      })),
      { endpoint: 'GET variable req/s', ...Object.fromEntries(results.map((r) => [r.tier, r.throughput.get])) },
      { endpoint: 'list p95 ms', ...Object.fromEntries(results.map((r) => [r.tier, r.rows.list.p95])) },
      { endpoint: 'list req/s', ...Object.fromEntries(results.map((r) => [r.tier, r.throughput.list])) },
    ];
    return {
      tables: [
        {
          title: `cache tiers: GET /variables/{name}, ${CONCURRENCY} in flight, ${EXECUTIONS * HOT_NAMES} hot variables`,
          rows: getRows,
          targetOf: Object.fromEntries(getRows.map((r) => [r.endpoint, 'get'])),
        },
        { title: `cache tiers: GET /variables?limit=100, ${CONCURRENCY} in flight, ${EXECUTIONS} executions`, rows: listRows },
        {
          title: `side by side (${CONCURRENCY} in flight, so p50 is roughly ${CONCURRENCY} / throughput)`,
          rows: sideBySide,
          columns: [['endpoint', 'measure'], ...results.map((r) => [r.tier, r.tier])],
        },
      ],
      notes: results.map(
        (r) =>
          `${r.tier.padEnd(8)} ${r.description}; health cache check: ` +
          `${JSON.stringify(r.cacheCheck)}` +
          (r.redisStats
            ? `; Redis keyspace hits +${r.redisStats.hits}, misses +${r.redisStats.misses} during the run (server-wide counters)`
            : ''),
      ),
      details: { setups: results.map(({ rows, ...rest }) => rest) },
    };
  },
};

async function measure(ctx, server, setup) {
  const client = createClient(server.baseUrl, { connections: CONCURRENCY });
  try {
    const executionIds = Array.from({ length: EXECUTIONS }, (_, e) => `${ctx.runTag}-tiers-${setup.tier.toLowerCase()}-${e}`);
    await seedBatches(
      client,
      executionIds.map((executionId, e) => ({
        executionId,
        variables: Array.from({ length: 20 }, (_, i) => ({
          variable_name: dataset.seededName(i),
          value: dataset.smallObject(e * 100 + i),
          source_step_index: i,
        })),
      })),
      { concurrency: 1, label: `${setup.tier}: seeding ${EXECUTIONS} executions x 20 variables`, progressEvery: EXECUTIONS },
    );
    const health = await client.request('GET', '/api/health');
    const cacheCheck = health.json?.checks?.cache;
    const getPath = (i) =>
      `/executions/${executionIds[i % EXECUTIONS]}/variables/${dataset.seededName(Math.floor(i / EXECUTIONS) % HOT_NAMES)}`;
    const listPath = (i) => `/executions/${executionIds[i % EXECUTIONS]}/variables?limit=100`;

    await runPool({ count: 500, concurrency: 10, operation: (i) => client.request('GET', i % 2 ? getPath(i) : listPath(i)) });
    const redisBefore = setup.env.REDIS_URL ? redisStats() : undefined;
    const recorder = new Recorder();
    const throughput = {};
    for (const [name, count, pathOf] of [
      ['get', GETS, getPath],
      ['list', LISTS, listPath],
    ]) {
      const t0 = Date.now();
      const { started, timedOut } = await runPool({
        count,
        concurrency: CONCURRENCY,
        deadline: Date.now() + PHASE_DEADLINE_MS,
        operation: async (i) => recorder.record(name, await client.request('GET', pathOf(i)), [200]),
      });
      const seconds = (Date.now() - t0) / 1000;
      throughput[name] = Math.round(started / seconds);
      console.log(
        `  ${setup.tier}: ${started} ${name} requests in ${seconds.toFixed(1)} s ` +
          `(${(started / seconds).toFixed(0)}/s)${timedOut ? ' - stopped at the time limit' : ''}`,
      );
    }
    const redisAfter = redisBefore ? redisStats() : undefined;
    const rows = Object.fromEntries(recorder.rows().map((row) => [row.endpoint, row]));
    return {
      rows,
      throughput,
      cacheCheck,
      redisStats:
        redisBefore && redisAfter
          ? { hits: redisAfter.hits - redisBefore.hits, misses: redisAfter.misses - redisBefore.misses }
          : undefined,
    };
  } finally {
    client.close();
  }
}

/** Read-only INFO stats of the local Redis, to show the Redis setup really read from Redis. */
function redisStats() {
  try {
    const url = new URL(REDIS_URL);
    const out = execFileSync('redis-cli', ['-h', url.hostname, '-p', url.port || '6379', 'info', 'stats'], {
      encoding: 'utf8',
      timeout: 3000,
    });
    const field = (name) => Number((new RegExp(`${name}:(\\d+)`).exec(out) || [])[1]);
    return { hits: field('keyspace_hits'), misses: field('keyspace_misses') };
  } catch {
    return undefined;
  }
}

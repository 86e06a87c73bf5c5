'use strict';
const path = require('node:path');
const dataset = require('../dataset');
const { createClient } = require('../http');
const { seedBatches } = require('../seed');
const { runArtillery, endpointRows, runTotals } = require('../artillery');

const EXECUTIONS = 50;
const VARIABLES_PER_EXECUTION = 100;
const SCRIPT = path.resolve(__dirname, '..', '..', 'scenarios', 'core.yml');

module.exports = {
  description: 'store/get/list at ~50 users/s for 30 s on 50 executions x 100 variables, then a 150-request burst',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = createClient(server.baseUrl, { connections: 8 });
    try {
      const batches = Array.from({ length: EXECUTIONS }, (_, e) => ({
        executionId: dataset.coreExecutionId(ctx.runTag, e),
        variables: Array.from({ length: VARIABLES_PER_EXECUTION }, (_, i) => ({
          variable_name: dataset.seededName(i),
          value: dataset.smallObject(e * 1000 + i),
          source_step_index: i,
          source_api_method: 'aiQuery',
        })),
      }));
      const seed = await seedBatches(client, batches, {
        concurrency: 4,
        progressEvery: 25,
        label: 'seeding 50 executions x 100 variables',
      });
      await warmUp(client, ctx.runTag);

      console.log('running artillery scenarios/core.yml (about 40 s) ...');
      const report = await runArtillery({
        script: SCRIPT,
        target: server.baseUrl,
        outputJson: ctx.artifact('artillery.json'),
        logFile: ctx.artifact('artillery.log'),
        env: { LOAD_RUN_TAG: ctx.runTag },
        timeoutMs: 180_000,
      });
      const order = ['store', 'get', 'list', 'store@peak', 'get@peak', 'list@peak'];
      const rows = endpointRows(report, order).sort((a, b) => order.indexOf(a.endpoint) - order.indexOf(b.endpoint));
      const totals = runTotals(report);
      return {
        tables: [
          {
            title: 'core: steady phase (50 users/s x 30 s, each store + get + list); @peak = 150 users released together',
            rows,
            targetOf: { store: 'store', get: 'get', list: 'list' },
          },
        ],
        notes: [
          `\npeak concurrency: ${totals.peak_in_flight ?? '?'} requests issued and not yet answered ` +
            `at once (artillery side; at most 200 of them on the wire, the connection pool's size); ` +
            `${totals.http_requests} requests, ${totals.vusers_created} users, ${totals.vusers_failed} failed users`,
          'latency = time to first byte as artillery measures it, in ms.',
        ],
        details: { seed, artillery: totals, artillery_report: path.basename(ctx.artifact('artillery.json')) },
      };
    } finally {
      client.close();
    }
  },
};

/** A few hundred requests before measuring, so JIT compilation is not measured as latency. */
async function warmUp(client, runTag) {
  const t0 = Date.now();
  for (let round = 0; round < 100; round += 1) {
    const executionId = dataset.coreExecutionId(runTag, round % EXECUTIONS);
    await Promise.all([
      client.request('PUT', `/executions/${executionId}/variables/warm_up`, { value: dataset.smallObject(round), source_step_index: 150 }),
      client.request('GET', `/executions/${executionId}/variables/${dataset.seededName(round % VARIABLES_PER_EXECUTION)}`),
      client.request('GET', `/executions/${executionId}/variables?limit=100`),
    ]);
  }
  console.log(`  warm-up: 300 requests in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

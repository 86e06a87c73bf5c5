'use strict';
const path = require('node:path');
const dataset = require('../dataset');
const { createClient } = require('../http');
const { seedBatches, batchesOf } = require('../seed');
const { runArtillery, endpointRows, runTotals } = require('../artillery');

const VARIABLES = 10_000;
const SCRIPT = path.resolve(__dirname, '..', '..', 'scenarios', 'hints.yml');

module.exports = {
  description: 'suggestions (step 5000), search (q=user_na) and list (limit 1000) on one execution of 10,000 variables, 10 users/s x 20 s',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = createClient(server.baseUrl, { connections: 4 });
    const executionId = `${ctx.runTag}-hints`;
    try {
      const variables = Array.from({ length: VARIABLES }, (_, i) => dataset.hintVariable(i));
      const seed = await seedBatches(client, batchesOf(executionId, variables, 100), {
        concurrency: 4,
        label: 'seeding 10,000 variables (100 batches of 100)',
        deadline: Date.now() + 600_000,
      });
      const check = await sanityCheck(client, executionId);
      console.log(
        `  check: suggestions ${check.suggestions} items (${check.suggestions_ms} ms), search ` +
          `${check.search} matches (${check.search_ms} ms), list ${check.list} items (${check.list_ms} ms)`,
      );

      console.log('running artillery scenarios/hints.yml (about 20 s) ...');
      const report = await runArtillery({
        script: SCRIPT,
        target: server.baseUrl,
        outputJson: ctx.artifact('artillery.json'),
        logFile: ctx.artifact('artillery.log'),
        env: { LOAD_RUN_TAG: ctx.runTag, LOAD_HINTS_EXECUTION: executionId },
        timeoutMs: 300_000,
      });
      const rows = endpointRows(report, ['suggestions', 'search', 'list_1000']);
      const totals = runTotals(report);
      return {
        tables: [
          {
            title:
              'hints: 10 users/s x 20 s on 10,000 variables, each suggestions?step_index=5000 + search?q=user_na + variables?limit=1000',
            rows,
            targetOf: { suggestions: 'suggestions', search: 'search', list_1000: 'list' },
          },
        ],
        notes: [
          `\nseeding: ${seed.variables} variables in ${seed.seconds.toFixed(1)} s ` +
            `(${(seed.variables / seed.seconds).toFixed(0)} variables/s, ${seed.retries} retries)`,
          `peak concurrency: ${totals.peak_in_flight ?? '?'} in flight; ${totals.http_requests} requests.`,
        ],
        details: { seed, sanity: check, artillery: totals, artillery_report: path.basename(ctx.artifact('artillery.json')) },
      };
    } finally {
      client.close();
    }
  },
};

/** One request of each kind before the load: fails early on a missing endpoint, shows sizes. */
async function sanityCheck(client, executionId) {
  const base = `/executions/${executionId}`;
  const suggestions = await client.request('GET', `${base}/variable-suggestions?step_index=5000`);
  const search = await client.request('GET', `${base}/variable-suggestions/search?q=user_na`);
  const list = await client.request('GET', `${base}/variables?limit=1000`);
  for (const [name, r] of [
    ['suggestions', suggestions],
    ['search', search],
    ['list', list],
  ]) {
    if (r.status !== 200) throw new Error(`${name} answered ${r.status || r.error}: ${JSON.stringify(r.json)?.slice(0, 300)}`);
  }
  return {
    suggestions: suggestions.json.total_count,
    suggestions_ms: Math.round(suggestions.ms),
    search: search.json.count,
    search_ms: Math.round(search.ms),
    list: list.json.count,
    list_ms: Math.round(list.ms),
  };
}

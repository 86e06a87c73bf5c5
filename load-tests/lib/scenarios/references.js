'use strict';
const path = require('node:path');
const dataset = require('../dataset');
const { createClient } = require('../http');
const { seedBatches } = require('../seed');
const { runArtillery, endpointRows, runTotals } = require('../artillery');

const SCRIPT = path.resolve(__dirname, '..', '..', 'scenarios', 'references.yml');

module.exports = {
  description: 'POST /resolve (10 references) and POST /variables/validate (20 references) at 25 users/s for 30 s',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = createClient(server.baseUrl, { connections: 4 });
    const executionId = `${ctx.runTag}-references`;
    try {
      const seed = await seedBatches(client, [{ executionId, variables: dataset.referenceVariables() }], { label: 'seeding 10 variables' });
      const check = await sanityCheck(client, executionId);
      for (let i = 0; i < 100; i += 1) await warmUp(client, executionId);

      console.log('running artillery scenarios/references.yml (about 30 s) ...');
      const report = await runArtillery({
        script: SCRIPT,
        target: server.baseUrl,
        outputJson: ctx.artifact('artillery.json'),
        logFile: ctx.artifact('artillery.log'),
        env: { LOAD_RUN_TAG: ctx.runTag, LOAD_REFERENCES_EXECUTION: executionId },
        timeoutMs: 180_000,
      });
      const rows = endpointRows(report, ['resolve', 'validate']);
      const totals = runTotals(report);
      return {
        tables: [{ title: 'references: 25 users/s x 30 s, each one resolve (10 refs) + one validate (20 refs)', rows }],
        notes: [
          `\nno p95 target is set for resolve/validate in STORY-013; figures are for information.`,
          `sanity check before the run: resolve resolved ${check.resolved}/10, validate found ` +
            `${check.valid}/20 valid (4 are deliberate mistakes)`,
          `peak concurrency: ${totals.peak_in_flight ?? '?'} in flight; ${totals.http_requests} ` +
            `requests. Every resolve records 10 lineage records (record: true, the default).`,
        ],
        details: { seed, sanity: check, artillery: totals, artillery_report: path.basename(ctx.artifact('artillery.json')) },
      };
    } finally {
      client.close();
    }
  },
};

async function warmUp(client, executionId) {
  await client.request('POST', `/executions/${executionId}/resolve`, {
    step_index: dataset.REFERENCE_STEP,
    params: dataset.resolveParams(),
    record: false,
  });
  await client.request('POST', `/executions/${executionId}/variables/validate`, {
    step_index: dataset.REFERENCE_STEP,
    references: dataset.validateReferences(),
  });
}

/** Fails the run early if the endpoints are missing or do not resolve what the data holds. */
async function sanityCheck(client, executionId) {
  const resolve = await client.request('POST', `/executions/${executionId}/resolve`, {
    step_index: dataset.REFERENCE_STEP,
    params: dataset.resolveParams(),
    record: false,
  });
  const validate = await client.request('POST', `/executions/${executionId}/variables/validate`, {
    step_index: dataset.REFERENCE_STEP,
    references: dataset.validateReferences(),
  });
  if (resolve.status !== 200)
    throw new Error(`POST /resolve answered ${resolve.status || resolve.error}: ${JSON.stringify(resolve.json)?.slice(0, 300)}`);
  if (validate.status !== 200)
    throw new Error(
      `POST /variables/validate answered ${validate.status || validate.error}: ${JSON.stringify(validate.json)?.slice(0, 300)}`,
    );
  const references = resolve.json.references || [];
  const results = validate.json.validation_results || [];
  if (references.length !== 10) throw new Error(`resolve returned ${references.length} reference records, expected 10`);
  if (results.length !== 20) throw new Error(`validate returned ${results.length} results, expected 20`);
  return { resolved: resolve.json.resolved_count, valid: results.filter((r) => r.is_valid).length };
}

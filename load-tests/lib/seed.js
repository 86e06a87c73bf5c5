'use strict';
/** Seeding through the public API (batch POST of up to 100 variables), with progress output. */
const { runPool } = require('./http');

/**
 * Writes `batches` = [{executionId, variables: [...≤100]}] with `concurrency` requests in flight.
 * Throws on the first non-200 answer: measuring against half-seeded data would be meaningless.
 */
async function seedBatches(client, batches, { concurrency = 4, label = 'seeding', progressEvery = 0, deadline = Date.now() + 300_000 } = {}) {
  const started = Date.now();
  const total = batches.reduce((sum, b) => sum + b.variables.length, 0);
  let written = 0;
  let failure;
  const every = progressEvery || Math.max(1, Math.ceil(batches.length / 10));
  const { timedOut } = await runPool({
    count: batches.length,
    concurrency,
    deadline,
    operation: async (i) => {
      if (failure) return;
      const { executionId, variables } = batches[i];
      const result = await client.request('POST', `/executions/${encodeURIComponent(executionId)}/variables`, { variables });
      if (result.status !== 200) {
        failure ??= new Error(`${label}: POST batch ${i} for ${executionId} answered ${result.status || result.error}: ${JSON.stringify(result.json)?.slice(0, 300)}`);
        return;
      }
      written += variables.length;
    },
    onProgress: (done) => {
      if (done % every === 0 || done === batches.length) {
        const seconds = (Date.now() - started) / 1000;
        console.log(`  ${label}: ${done}/${batches.length} batches, ${written}/${total} variables, ${seconds.toFixed(1)} s`);
      }
    },
  });
  if (failure) throw failure;
  if (timedOut) throw new Error(`${label}: not finished before its deadline`);
  return { variables: written, batches: batches.length, seconds: (Date.now() - started) / 1000 };
}

/** Splits one execution's variables into batches of `size`. */
function batchesOf(executionId, variables, size = 100) {
  const batches = [];
  for (let i = 0; i < variables.length; i += size) batches.push({ executionId, variables: variables.slice(i, i + size) });
  return batches;
}

module.exports = { seedBatches, batchesOf };

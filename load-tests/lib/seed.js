'use strict';
/** Seeding through the public API (batch POST of up to 100 variables), with progress output. */

const RETRYABLE = new Set([429, 503, 504]);
const MAX_RETRIES = 8;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes `batches` = [{executionId, variables: [...≤100]}] with up to `concurrency` requests in
 * flight. Behaves like a careful client (API.md §2): a 429/503/504 pauses every lane (at least
 * Retry-After, doubling, capped at 8 s), halves the concurrency, and the batch is retried (a
 * repeated batch rewrites the same values); 10 successes in a row win one lane back.
 * The first batch goes alone: a cold server is slow. Throws on any other failure: measuring
 * against half-seeded data would be meaningless.
 */
async function seedBatches(
  client,
  batches,
  { concurrency = 4, label = 'seeding', progressEvery = 0, deadline = Date.now() + 300_000 } = {},
) {
  const started = Date.now();
  const total = batches.reduce((sum, b) => sum + b.variables.length, 0);
  const every = progressEvery || Math.max(1, Math.ceil(batches.length / 10));
  const state = { limit: 1, active: 0, pauseUntil: 0, streak: 0, lowest: concurrency };
  let written = 0;
  let retries = 0;
  let completed = 0;
  let next = 0;
  let failure;

  async function acquire() {
    while (state.active >= state.limit || Date.now() < state.pauseUntil) {
      if (Date.now() > deadline) throw new Error(`${label}: not finished before its deadline`);
      await sleep(Math.max(10, Math.min(200, state.pauseUntil - Date.now())));
    }
    state.active += 1;
  }

  async function writeBatch(i) {
    const { executionId, variables } = batches[i];
    const path = `/executions/${encodeURIComponent(executionId)}/variables`;
    for (let attempt = 0; ; attempt += 1) {
      await acquire();
      let result;
      try {
        result = await client.request('POST', path, { variables });
      } finally {
        state.active -= 1;
      }
      if (result.status === 200) {
        written += variables.length;
        if (++state.streak >= 10 && state.limit < concurrency) {
          state.limit += 1;
          state.streak = 0;
        }
        return;
      }
      if (!RETRYABLE.has(result.status) || attempt === MAX_RETRIES) {
        throw new Error(
          `${label}: POST batch ${i} for ${executionId} answered ` +
            `${result.status || result.error}${attempt ? ` after ${attempt} retries` : ''}: ${JSON.stringify(result.json)?.slice(0, 300)}`,
        );
      }
      retries += 1;
      state.streak = 0;
      state.limit = Math.max(1, Math.floor(state.limit / 2));
      state.lowest = Math.min(state.lowest, state.limit);
      const retryAfterMs = (Number(result.headers?.['retry-after']) || 0) * 1000;
      state.pauseUntil = Math.max(state.pauseUntil, Date.now() + Math.min(8000, Math.max(retryAfterMs, 500 * 2 ** attempt)));
    }
  }

  function progress() {
    completed += 1;
    if (completed % every !== 0 && completed !== batches.length) return;
    const seconds = (Date.now() - started) / 1000;
    const retried = retries ? ` (${retries} retries after 503/504/429; lanes now ${state.limit})` : '';
    console.log(`  ${label}: ${completed}/${batches.length} batches, ${written}/${total} variables, ${seconds.toFixed(1)} s${retried}`);
  }

  async function lane() {
    while (!failure && next < batches.length) {
      const i = next++;
      try {
        await writeBatch(i);
        progress();
      } catch (error) {
        failure ??= error;
      }
    }
  }

  if (batches.length) {
    next = 1;
    try {
      await writeBatch(0);
      progress();
    } catch (error) {
      failure = error;
    }
    if (retries === 0) state.limit = concurrency;
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  if (failure) throw failure;
  return {
    variables: written,
    batches: batches.length,
    retries,
    concurrency_requested: concurrency,
    concurrency_lowest: state.lowest,
    seconds: (Date.now() - started) / 1000,
  };
}

/** Splits one execution's variables into batches of `size`. */
function batchesOf(executionId, variables, size = 100) {
  const batches = [];
  for (let i = 0; i < variables.length; i += size) batches.push({ executionId, variables: variables.slice(i, i + size) });
  return batches;
}

module.exports = { seedBatches, batchesOf };

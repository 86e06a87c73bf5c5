'use strict';
/**
 * artillery processor shared by the YAML scenarios. It picks which execution and variable each
 * virtual user touches (the seeded data's naming lives in lib/dataset.js), builds JSON bodies,
 * tracks how many requests are in flight, and synchronises the `peak` phase of `core`.
 *
 * Per-worker state: on a 2-core machine artillery runs one worker, so in-flight counts are exact;
 * with more workers each reports its own peak (the report shows the largest).
 */
const dataset = require('./lib/dataset');

const env = process.env;
const runTag = env.LOAD_RUN_TAG || 'adhoc';

let firstArrivalAt = 0;
let inFlight = 0;

function randomInt(n) {
  return Math.floor(Math.random() * n);
}

// ---------------------------------------------------------------- request bookkeeping

/** Scenario-level beforeRequest: counts in-flight requests and renames requests of peak users. */
function trackRequestStart(req, context, events, done) {
  inFlight += 1;
  context.vars.$inFlightCounted = (context.vars.$inFlightCounted || 0) + 1;
  events.emit('histogram', 'harness.in_flight', inFlight);
  if (context.vars.peakUser && req.name && !req.name.endsWith('@peak')) req.name = `${req.name}@peak`;
  return done();
}

function trackRequestEnd(_req, _res, context, _events, done) {
  release(context);
  return done();
}

function trackRequestError(_err, _req, context, _events, done) {
  release(context);
  return done();
}

function release(context) {
  if (context.vars.$inFlightCounted > 0) {
    context.vars.$inFlightCounted -= 1;
    inFlight -= 1;
  }
}

// ---------------------------------------------------------------- core

/** Picks the execution, the seeded variable to read and the variable to write. */
function pickCoreTargets(context, _events, done) {
  const now = Date.now();
  if (!firstArrivalAt) firstArrivalAt = now;
  const executions = Number(context.vars.executions);
  const seeded = Number(context.vars.variablesPerExecution);
  const storeNames = Number(context.vars.storeNamesPerExecution);
  context.vars.executionId = dataset.coreExecutionId(runTag, randomInt(executions));
  context.vars.readName = dataset.seededName(randomInt(seeded));
  context.vars.storeName = `store_${randomInt(storeNames)}`;
  context.vars.peakUser = now - firstArrivalAt >= Number(context.vars.peakAfterSeconds) * 1000;
  if (context.vars.peakUser) return waitAtPeakBarrier(context, done);
  return done();
}

const barrier = { waiting: [], timer: undefined };

/**
 * Peak users gather here and are released together, so `peakBarrier` requests hit the server at
 * the same instant: a burst of 100+ concurrent operations that does not depend on how fast the
 * server happens to be. A timeout releases a partial group, so the phase can never hang.
 */
function waitAtPeakBarrier(context, done) {
  barrier.waiting.push(done);
  const size = Number(context.vars.peakBarrier);
  const releaseAll = () => {
    clearTimeout(barrier.timer);
    barrier.timer = undefined;
    const group = barrier.waiting.splice(0);
    for (const resume of group) resume();
  };
  if (barrier.waiting.length >= size) return releaseAll();
  if (!barrier.timer) barrier.timer = setTimeout(releaseAll, Number(context.vars.peakBarrierTimeoutMs) || 2000);
  return undefined;
}

/** Request-level beforeRequest of the store step: a small JSON object, as a step would capture. */
function buildStoreBody(req, _context, _events, done) {
  req.json = {
    value: dataset.smallObject(randomInt(1_000_000)),
    source_step_index: 100 + randomInt(100),
    source_api_method: 'aiQuery',
  };
  return done();
}

// ---------------------------------------------------------------- references

function buildResolveBody(req, _context, _events, done) {
  req.json = { step_index: dataset.REFERENCE_STEP, params: dataset.resolveParams() };
  return done();
}

function buildValidateBody(req, _context, _events, done) {
  req.json = { step_index: dataset.REFERENCE_STEP, references: dataset.validateReferences() };
  return done();
}

module.exports = {
  trackRequestStart,
  trackRequestEnd,
  trackRequestError,
  pickCoreTargets,
  buildStoreBody,
  buildResolveBody,
  buildValidateBody,
};

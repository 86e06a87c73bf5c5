'use strict';
/**
 * Preloaded into artillery (`node --require ./no-telemetry.js …/artillery/bin/run`).
 *
 * artillery sends a telemetry event through posthog-node after every run, even with
 * ARTILLERY_DISABLE_TELEMETRY set, and on a machine without outbound DNS that costs about 12 s of
 * retries before the process exits. artillery wraps `require('posthog-node')` in try/catch and falls
 * back to no-op telemetry, so making that one module unloadable is the least invasive switch.
 */
const Module = require('node:module');

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithoutTelemetry(request, ...rest) {
  if (request === 'posthog-node' || request.startsWith('posthog-node/')) {
    const error = new Error('posthog-node is disabled by load-tests/no-telemetry.js');
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return originalResolve.call(this, request, ...rest);
};

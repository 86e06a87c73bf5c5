'use strict';
/**
 * A small keep-alive JSON client for seeding and for the custom load loops, plus a bounded pool
 * that runs a fixed number of operations with a fixed number in flight and a hard deadline.
 * Only 127.0.0.1 targets are accepted: the harness never sends load anywhere else.
 */
const http = require('node:http');

function createClient(baseUrl, { connections = 64, timeoutMs = 30_000 } = {}) {
  const url = new URL(baseUrl);
  if (url.hostname !== '127.0.0.1') throw new Error(`refusing to send load to ${url.hostname}: only 127.0.0.1 is allowed`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });

  /**
   * `path` is under /api/v1 unless it starts with /api/ (the service endpoints).
   * @returns {Promise<{status: number, ms: number, json: any, headers?: object, error?: string}>} never rejects
   */
  function request(method, path, body, extraHeaders = {}) {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { accept: 'application/json', ...extraHeaders };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const started = process.hrtime.bigint();
    return new Promise((resolve) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path: path.startsWith('/api/') ? path : `/api/v1${path}`,
          headers,
          agent,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            let json;
            try {
              // Answers of abuse attacks can be huge: they are measured (bytes), not parsed.
              const size = chunks.reduce((sum, c) => sum + c.length, 0);
              json = chunks.length && size <= 10 * 1024 * 1024 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode, ms, json, headers: res.headers, bytes: chunks.reduce((sum, c) => sum + c.length, 0) });
          });
          res.on('error', (error) => resolve({ status: 0, ms: elapsed(started), json: undefined, error: error.code || error.message }));
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (error) => resolve({ status: 0, ms: elapsed(started), json: undefined, error: error.code || error.message }));
      if (payload) req.write(payload);
      req.end();
    });
  }

  return { request, close: () => agent.destroy() };
}

function elapsed(started) {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Runs `operation(i)` for i = 0..count-1 with at most `concurrency` in flight, stopping early
 * (without starting new operations) once `deadline` (epoch ms) passes.
 * @returns {Promise<{started: number, timedOut: boolean}>}
 */
async function runPool({ count, concurrency, deadline = Infinity, operation, onProgress }) {
  let next = 0;
  let completed = 0;
  let timedOut = false;
  async function lane() {
    for (;;) {
      if (next >= count) return;
      if (Date.now() > deadline) {
        timedOut = true;
        return;
      }
      const i = next++;
      await operation(i);
      completed += 1;
      if (onProgress) onProgress(completed);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { started: next, timedOut };
}

module.exports = { createClient, runPool };

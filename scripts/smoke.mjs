#!/usr/bin/env node
/**
 * Smoke test of a running service: `node scripts/smoke.mjs <base-url> [bearer-token]`
 * (the token may also come from SMOKE_TOKEN). CI runs it against `npm start` in `npm test`
 * (test/e2e/smoke.test.ts) and against each deployed stage after `cdk deploy`.
 *
 * 1. GET /api/health answers 200 with status ok or degraded.
 * 2. GET /api/openapi.json is an OpenAPI 3.1 document naming the variable routes.
 * 3. With a token: a protected route without it answers 401 (authentication is really on).
 * 4. A store / get / resolve round trip in a fresh execution: PUT 201 with an ETag, GET returns the
 *    value, resolve substitutes it.
 * 5. The execution is deleted again (204, or 202 while a purge finishes).
 *
 * Prints one `ok`/`not ok` line per check, never a token; exits 1 on the first failure.
 */
const [baseArg, tokenArg] = process.argv.slice(2);
if (!baseArg) {
  console.error('usage: node scripts/smoke.mjs <base-url> [bearer-token]');
  process.exit(2);
}
const base = baseArg.replace(/\/+$/, '');
const token = tokenArg || process.env.SMOKE_TOKEN || '';
const auth = token ? { authorization: `Bearer ${token}` } : {};
const timeoutMs = Number(process.env.SMOKE_TIMEOUT_MS ?? 15000);

async function call(method, path, { body, headers = {} } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

let step = 0;
async function check(name, run) {
  step += 1;
  try {
    const detail = await run();
    console.log(`ok ${step} - ${name}${detail ? ` (${detail})` : ''}`);
  } catch (error) {
    console.log(`not ok ${step} - ${name}: ${error.message}`);
    process.exit(1);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const execution = `smoke-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const variables = `/api/v1/executions/${execution}/variables`;

await check('health answers 200', async () => {
  const { status, json } = await call('GET', '/api/health');
  expect(status === 200, `status ${status}`);
  expect(['ok', 'degraded'].includes(json?.status), `status field ${JSON.stringify(json?.status)}`);
  return `${json.status}, version ${json.version}`;
});

await check('the OpenAPI document is served', async () => {
  const { status, json } = await call('GET', '/api/openapi.json');
  expect(status === 200, `status ${status}`);
  expect(String(json?.openapi).startsWith('3.1'), `openapi ${JSON.stringify(json?.openapi)}`);
  expect(json.paths && '/api/v1/executions/{execution_id}/variables/{variable_name}' in json.paths, 'the variable route is missing');
  return `${Object.keys(json.paths).length} paths`;
});

if (token) {
  await check('a protected route refuses a request without the token', async () => {
    const { status } = await call('GET', variables);
    expect(status === 401, `status ${status}, expected 401`);
    return '401';
  });
}

await check('store a variable', async () => {
  const { status, headers, json } = await call('PUT', `${variables}/user_name`, {
    body: { value: 'smoke', source_step_index: 0 },
    headers: auth,
  });
  expect(status === 201, `status ${status}: ${json?.error?.code ?? ''}`);
  expect(headers.get('etag'), 'no ETag');
  return `version ${json.version}`;
});

await check('get it back', async () => {
  const { status, json } = await call('GET', `${variables}/user_name`, { headers: auth });
  expect(status === 200, `status ${status}`);
  expect(json.value === 'smoke', `value ${JSON.stringify(json.value)}`);
});

await check('resolve a reference to it', async () => {
  const { status, json } = await call('POST', `/api/v1/executions/${execution}/resolve`, {
    body: { step_index: 1, text: 'Hello ${user_name}' },
    headers: auth,
  });
  expect(status === 200, `status ${status}`);
  expect(json.text === 'Hello smoke', `text ${JSON.stringify(json.text)}`);
  expect(json.resolved_count === 1, `resolved_count ${json.resolved_count}`);
});

await check('delete the execution', async () => {
  const { status } = await call('DELETE', `/api/v1/executions/${execution}`, { headers: auth });
  expect(status === 204 || status === 202, `status ${status}`);
  return String(status);
});

console.log(`smoke test passed against ${base}`);

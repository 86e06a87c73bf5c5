/**
 * The HTTP protocol around the variable store (API.md §2, §5 "Service", §7): the error shape,
 * content types, body limits, routing (404/405), CORS, Accept-Language, bearer auth, health and
 * the OpenAPI document.
 */
import { api, startLocalServer, type LocalServer } from '../support/local-server';
import {
  asResponse,
  executionPath,
  expectAbsent,
  expectError,
  expectStatus,
  hasCjk,
  ISO_MS,
  MIB,
  newExecutionId,
  putVariable,
  rawRequest,
  stringOfJsonBytes,
  useServer,
  variablePath,
  variablesPath,
  type Call,
} from './support';

const ctx = useServer();

const TOKEN = 's3cret-token-for-e2e';
const ALLOWED_ORIGIN = 'http://editor.example';
const auth: { server?: LocalServer; call?: Call } = {};
beforeAll(async () => {
  auth.server = await startLocalServer({ API_TOKEN: TOKEN, CORS_ORIGINS: `${ALLOWED_ORIGIN},http://other.example` });
  auth.call = api(auth.server.baseUrl);
}, 90_000);
afterAll(async () => {
  await auth.server?.stop();
});

const body = (value: unknown = 1): string => JSON.stringify({ value, source_step_index: 0 });

function allowOf(header: string | null): string[] {
  return (header ?? '')
    .split(',')
    .map((method) => method.trim().toUpperCase())
    .filter((method) => ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'].includes(method))
    .sort();
}

function headerList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}

describe('the error shape', () => {
  test("every error has the one shape, the code's error_type, a fresh request_id and no internals", async () => {
    const exec = newExecutionId('shape');
    const errors = [
      expectError(await ctx.call('GET', variablePath(exec, 'missing')), 'VARIABLE_NOT_FOUND'),
      expectError(await ctx.call('PUT', variablePath(exec, 'x'), '{"value": '), 'INVALID_JSON'),
      expectError(await ctx.call('GET', '/api/v1/nothing-here'), 'ROUTE_NOT_FOUND'),
      expectError(await ctx.call('PATCH', variablePath(exec, 'x'), body()), 'METHOD_NOT_ALLOWED'),
      expectError(await ctx.call('PUT', variablePath(exec, 'x'), body(), { 'content-type': 'text/plain' }), 'UNSUPPORTED_MEDIA_TYPE'),
      expectError(await putVariable(ctx.call, exec, 'x', stringOfJsonBytes(MIB + 1)), 'VALUE_TOO_LARGE'),
      expectError(await putVariable(ctx.call, exec, '1x', 1), 'INVALID_VARIABLE_NAME'),
      expectError(await putVariable(ctx.call, '-x', 'x', 1), 'INVALID_EXECUTION_ID'),
      expectError(await putVariable(ctx.call, exec, 'x', 1, { source_step_index: 'a' }), 'INVALID_STEP_INDEX'),
      expectError(await ctx.call('GET', `${variablesPath(exec)}?limit=0`), 'INVALID_REQUEST'),
    ];
    const ids = errors.map((error) => error.request_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const error of errors) expect(Math.abs(Date.parse(error.timestamp) - Date.now())).toBeLessThan(60_000);
  });

  test('VARIABLE_NOT_FOUND names the variable in message and details', async () => {
    const exec = newExecutionId('shape-nf');
    const error = expectError(await ctx.call('GET', variablePath(exec, 'user_nme')), 'VARIABLE_NOT_FOUND');
    expect(error.message).toContain("'user_nme'");
    expect(error.details).toEqual(expect.objectContaining({ variable_name: 'user_nme' }));
  });

  test('a malformed percent-encoding in the path is a clean client error, not a 500', async () => {
    const exec = newExecutionId('shape-pct');
    const response = await ctx.call('GET', `${variablesPath(exec)}/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(['INVALID_VARIABLE_NAME', 'INVALID_REQUEST']).toContain(response.json?.error?.code);
    expectError(response, response.json.error.code);
  });
});

describe('content types', () => {
  test.each([
    'text/plain',
    'text/plain; charset=utf-8',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/json',
    'application/jsonl',
  ])('%s → 415 UNSUPPORTED_MEDIA_TYPE and nothing stored', async (contentType) => {
    const exec = newExecutionId('ct-bad');
    expectError(await ctx.call('PUT', variablePath(exec, 'x'), body(), { 'content-type': contentType }), 'UNSUPPORTED_MEDIA_TYPE');
    expectError(
      await ctx.call('POST', variablesPath(exec), JSON.stringify({ variable_name: 'x', value: 1, source_step_index: 0 }), {
        'content-type': contentType,
      }),
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('a non-JSON content type wins over a malformed body (415, not 400)', async () => {
    const exec = newExecutionId('ct-precedence');
    expectError(
      await ctx.call('PUT', variablePath(exec, 'x'), 'not json at all', { 'content-type': 'text/plain' }),
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  test.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON',
    'application/vnd.foo+json; charset=utf-8',
    'application/merge-patch+json',
    'application/problem+json',
  ])('%s is read as JSON', async (contentType) => {
    const exec = newExecutionId('ct-ok');
    const response = await ctx.call('PUT', variablePath(exec, 'x'), body('ok'), { 'content-type': contentType });
    expectStatus(response, 201);
    expect((await ctx.call('GET', variablePath(exec, 'x'))).json.value).toBe('ok');
  });

  test('no Content-Type at all is read as JSON (PUT and POST)', async () => {
    const exec = newExecutionId('ct-none');
    const put = await rawRequest(ctx.baseUrl, 'PUT', variablePath(exec, 'x'), body('no type'));
    expect(put.status).toBe(201);
    const post = await rawRequest(
      ctx.baseUrl,
      'POST',
      variablesPath(exec),
      JSON.stringify({ variables: [{ variable_name: 'y', value: 2, source_step_index: 1 }] }),
    );
    expect(post.status).toBe(200);
    expect((await ctx.call('GET', variablePath(exec, 'x'))).json.value).toBe('no type');
    expect((await ctx.call('GET', variablePath(exec, 'y'))).json.value).toBe(2);
    const malformed = await rawRequest(ctx.baseUrl, 'PUT', variablePath(exec, 'z'), '{oops');
    expectError(asResponse(malformed), 'INVALID_JSON');
  });

  test('a UTF-8 body with non-ASCII text is decoded as UTF-8', async () => {
    const exec = newExecutionId('ct-utf8');
    const response = await rawRequest(ctx.baseUrl, 'PUT', variablePath(exec, 'x'), Buffer.from(body('商品 – café 😀'), 'utf8'), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(response.status).toBe(201);
    expect((await ctx.call('GET', variablePath(exec, 'x'))).json.value).toBe('商品 – café 😀');
  });

  test('bytes that are not UTF-8 are not JSON: 400 INVALID_JSON, nothing stored', async () => {
    const exec = newExecutionId('ct-bad-utf8');
    const bad = Buffer.concat([Buffer.from('{"value": "a'), Buffer.from([0xff, 0xfe]), Buffer.from('", "source_step_index": 0}')]);
    expectError(
      asResponse(await rawRequest(ctx.baseUrl, 'PUT', variablePath(exec, 'x'), bad, { 'content-type': 'application/json' })),
      'INVALID_JSON',
    );
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('a body of only white space is no body, like an empty one', async () => {
    const exec = newExecutionId('ct-blank');
    const empty = await rawRequest(ctx.baseUrl, 'PUT', variablePath(exec, 'x'), '', { 'content-type': 'application/json' });
    const blank = await rawRequest(ctx.baseUrl, 'PUT', variablePath(exec, 'x'), ' \n\t ', { 'content-type': 'application/json' });
    expect(expectError(asResponse(blank), 'INVALID_REQUEST').message).toBe(expectError(asResponse(empty), 'INVALID_REQUEST').message);
  });
});

describe('body size limits', () => {
  test('a body of exactly 2 MiB is accepted; 2 MiB + 1 byte → 413 PAYLOAD_TOO_LARGE and nothing stored', async () => {
    const exec = newExecutionId('payload');
    const core = body('padded');
    const exact = core + ' '.repeat(2 * MIB - Buffer.byteLength(core));
    expect(Buffer.byteLength(exact)).toBe(2 * MIB);
    expectStatus(await ctx.call('PUT', variablePath(exec, 'exact'), exact), 201);
    const over = `${exact} `;
    expectError(await ctx.call('PUT', variablePath(exec, 'over'), over), 'PAYLOAD_TOO_LARGE');
    await expectAbsent(ctx.call, exec, 'over');
  });

  test('a body of 2.5 MiB with a large value → 413 PAYLOAD_TOO_LARGE', async () => {
    const exec = newExecutionId('payload-value');
    expectError(await putVariable(ctx.call, exec, 'x', stringOfJsonBytes(2.5 * MIB)), 'PAYLOAD_TOO_LARGE');
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('a body of 11 MiB → 413 PAYLOAD_TOO_LARGE in the one error shape', async () => {
    const exec = newExecutionId('payload-huge');
    const response = await putVariable(ctx.call, exec, 'x', stringOfJsonBytes(11 * MIB));
    expectError(response, 'PAYLOAD_TOO_LARGE');
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('a 1.5 MiB value in a body under 2 MiB → 413 VALUE_TOO_LARGE', async () => {
    const exec = newExecutionId('payload-vtl');
    expectError(await putVariable(ctx.call, exec, 'x', stringOfJsonBytes(1.5 * MIB)), 'VALUE_TOO_LARGE');
    await expectAbsent(ctx.call, exec, 'x');
  });
});

describe('routing', () => {
  test.each([
    ['POST', '/'], // GET / is the step editor's page
    ['GET', '/api/v1/nothing'],
    ['GET', '/api/v2/executions/x/variables'],
    ['GET', '/api/v1/executions/x/variables/a/b/c'],
    ['GET', '/api/v1/executions/x/unknown'],
    ['GET', '/api/v1/executions'],
    ['POST', '/api/v1/executions/x/variables/a/extra'],
    ['PUT', '/api/v1/nothing'],
  ])('%s %s → 404 ROUTE_NOT_FOUND', async (method, path) => {
    const response = await ctx.call(method, path, method === 'GET' ? undefined : body());
    expectError(response, 'ROUTE_NOT_FOUND');
  });

  test.each([
    ['PATCH', 'var', ['DELETE', 'GET', 'PUT']],
    ['POST', 'var', ['DELETE', 'GET', 'PUT']],
    ['PUT', 'list', ['GET', 'POST']],
    ['DELETE', 'list', ['GET', 'POST']],
    ['PATCH', 'list', ['GET', 'POST']],
    ['PUT', 'execution', ['DELETE', 'GET']],
    ['POST', 'execution', ['DELETE', 'GET']],
    ['POST', 'health', ['GET']],
    ['DELETE', 'openapi', ['GET']],
  ] as const)('%s on %s → 405 METHOD_NOT_ALLOWED with Allow', async (method, target, allowed) => {
    const exec = newExecutionId('405');
    const path = {
      var: variablePath(exec, 'x'),
      list: variablesPath(exec),
      execution: executionPath(exec),
      health: '/api/health',
      openapi: '/api/openapi.json',
    }[target];
    const response = await ctx.call(
      method,
      path,
      method === 'DELETE' ? undefined : JSON.stringify({ variable_name: 'x', value: 1, source_step_index: 0 }),
    );
    expectError(response, 'METHOD_NOT_ALLOWED');
    expect(allowOf(response.headers.get('allow'))).toEqual([...allowed]);
    await expectAbsent(ctx.call, exec, 'x');
  });
});

describe('CORS', () => {
  test('OPTIONS preflight → 204 with origin, methods and the allowed request headers', async () => {
    const exec = newExecutionId('cors');
    for (const path of [variablePath(exec, 'x'), variablesPath(exec), executionPath(exec), '/api/health']) {
      const response = await ctx.call('OPTIONS', path, undefined, {
        Origin: 'http://editor.example',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type,authorization,if-match,idempotency-key,accept-language',
      });
      expect({ path, status: response.status }).toEqual({ path, status: 204 });
      expect(response.text).toBe('');
      expect(['*', 'http://editor.example']).toContain(response.headers.get('access-control-allow-origin'));
      const allowedHeaders = headerList(response.headers.get('access-control-allow-headers'));
      for (const header of ['content-type', 'authorization', 'if-match', 'idempotency-key', 'accept-language'])
        expect(allowedHeaders).toContain(header);
      const allowedMethods = headerList(response.headers.get('access-control-allow-methods')).map((m) => m.toUpperCase());
      for (const method of ['GET', 'PUT', 'POST', 'DELETE']) expect(allowedMethods).toContain(method);
    }
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('normal and error responses carry Access-Control-Allow-Origin and expose ETag and Retry-After', async () => {
    const exec = newExecutionId('cors-normal');
    const origin = { Origin: 'http://editor.example' };
    const responses = [
      await putVariable(ctx.call, exec, 'x', 1, {}, origin),
      await ctx.call('GET', variablePath(exec, 'x'), undefined, origin),
      await ctx.call('GET', variablesPath(exec), undefined, origin),
      await ctx.call('GET', variablePath(exec, 'missing'), undefined, origin),
      await ctx.call('GET', '/api/v1/nowhere', undefined, origin),
      await ctx.call('DELETE', variablePath(exec, 'x'), undefined, origin),
    ];
    for (const response of responses) {
      expect(['*', 'http://editor.example']).toContain(response.headers.get('access-control-allow-origin'));
      const exposed = headerList(response.headers.get('access-control-expose-headers'));
      expect(exposed).toContain('etag');
      expect(exposed).toContain('retry-after');
    }
  });
});

describe('Accept-Language', () => {
  const chinese = ['zh', 'zh-CN', 'zh-TW', 'zh-Hans-CN', 'zh-CN,zh;q=0.9,en;q=0.8', 'ZH-cn'];
  const english = [undefined, 'en', 'en-US', 'fr', 'de-DE,de;q=0.9', '*'];

  test.each(chinese)('%s → Chinese user_message and suggestions; message stays English and names the token', async (language) => {
    const exec = newExecutionId('zh');
    const headers = { 'Accept-Language': language };
    const cases = [
      await ctx.call('GET', variablePath(exec, 'user_nme'), undefined, headers),
      await ctx.call('PUT', variablePath(exec, 'x'), '{"value":', headers),
      await ctx.call('GET', '/api/v1/nope', undefined, headers),
      await ctx.call('PUT', variablePath(exec, 'bad-name'), body(), headers),
      await ctx.call('PUT', variablePath(exec, 'x'), body(), { ...headers, 'content-type': 'text/plain' }),
    ];
    for (const response of cases) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(hasCjk(response.json.user_message)).toBe(true);
      for (const suggestion of response.json.suggestions) expect(hasCjk(suggestion)).toBe(true);
      expect(hasCjk(response.json.error.message)).toBe(false);
    }
    expect(cases[0].json.error.message).toContain('user_nme');
    expect(cases[3].json.error.message).toContain('bad-name');
  });

  test.each(english)('%p → English user_message', async (language) => {
    const exec = newExecutionId('en');
    const response = await ctx.call('GET', variablePath(exec, 'user_nme'), undefined, language ? { 'Accept-Language': language } : {});
    expectError(response, 'VARIABLE_NOT_FOUND');
    expect(hasCjk(response.json.user_message)).toBe(false);
    for (const suggestion of response.json.suggestions) expect(hasCjk(suggestion)).toBe(false);
  });

  test('quality values are honoured: "en;q=0.1, zh;q=0.9" prefers Chinese, "zh;q=0.1, en" prefers English', async () => {
    const exec = newExecutionId('q');
    const zh = await ctx.call('GET', variablePath(exec, 'a'), undefined, { 'Accept-Language': 'en;q=0.1, zh;q=0.9' });
    expect(hasCjk(zh.json.user_message)).toBe(true);
    const en = await ctx.call('GET', variablePath(exec, 'a'), undefined, { 'Accept-Language': 'zh;q=0.1, en' });
    expect(hasCjk(en.json.user_message)).toBe(false);
  });
});

describe('service endpoints', () => {
  test('GET /api/health → 200 with status, checks and version', async () => {
    const response = await ctx.call('GET', '/api/health');
    expectStatus(response, 200);
    expect(['ok', 'degraded']).toContain(response.json.status);
    expect(typeof response.json.checks.database.status).toBe('string');
    expect(typeof response.json.checks.database.latency_ms).toBe('number');
    expect(response.json.checks.database.latency_ms).toBeGreaterThanOrEqual(0);
    expect(typeof response.json.checks.cache.status).toBe('string');
    expect(typeof response.json.version).toBe('string');
    expect(response.json.version.length).toBeGreaterThan(0);
  });

  test('GET /api/openapi.json → OpenAPI 3.1 listing the variables paths and methods', async () => {
    const response = await ctx.call('GET', '/api/openapi.json');
    expectStatus(response, 200);
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(String(response.json.openapi)).toMatch(/^3\.1/);
    const paths = response.json.paths;
    const base = '/api/v1/executions/{execution_id}';
    expect(Object.keys(paths[`${base}/variables/{variable_name}`] ?? {})).toEqual(expect.arrayContaining(['put', 'get', 'delete']));
    expect(Object.keys(paths[`${base}/variables`] ?? {})).toEqual(expect.arrayContaining(['post', 'get']));
    expect(Object.keys(paths[base] ?? {})).toEqual(expect.arrayContaining(['get', 'delete']));
    expect(paths['/api/health']).toBeDefined();
    // Enough for a client generator: query parameters, the conditional and idempotency headers, real statuses.
    const names = (op: any) => op.parameters.map((p: any) => `${p.in}:${p.name}`);
    expect(names(paths[`${base}/variables`].get)).toEqual(
      expect.arrayContaining(['path:execution_id', 'query:limit', 'query:cursor', 'query:include_values']),
    );
    expect(names(paths[`${base}/variable-suggestions/search`].get)).toEqual(
      expect.arrayContaining(['query:q', 'query:limit', 'query:step_index']),
    );
    expect(names(paths[`${base}/variables/{variable_name}`].put)).toEqual(
      expect.arrayContaining(['header:If-Match', 'header:Idempotency-Key', 'header:Accept-Language']),
    );
    expect(Object.keys(paths[`${base}/variables/{variable_name}`].put.responses)).toEqual(
      expect.arrayContaining(['201', '200', 'default']),
    );
    // Every error status is listed too (404, 412, …), each with the error shape; `default` covers anything else.
    expect(Object.keys(paths[`${base}/variables/{variable_name}`].delete.responses)).toEqual(
      expect.arrayContaining(['204', '404', '412', 'default']),
    );
  });
});

describe('bearer auth (API_TOKEN set)', () => {
  const call = (...args: Parameters<Call>) => auth.call!(...args);

  test.each([
    ['no header', {}],
    ['wrong token', { Authorization: 'Bearer nope' }],
    ['token with a suffix', { Authorization: `Bearer ${TOKEN}x` }],
    ['token prefix only', { Authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['other case', { Authorization: `Bearer ${TOKEN.toUpperCase()}` }],
    ['no scheme', { Authorization: TOKEN }],
    ['Basic scheme', { Authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` }],
    ['empty bearer', { Authorization: 'Bearer ' }],
  ] as Array<[string, Record<string, string>]>)('%s → 401 UNAUTHORIZED and nothing stored', async (_label, headers) => {
    const exec = newExecutionId('auth');
    expectError(await call('PUT', variablePath(exec, 'x'), body(), headers), 'UNAUTHORIZED');
    expectError(
      await call('POST', variablesPath(exec), JSON.stringify({ variable_name: 'y', value: 1, source_step_index: 0 }), headers),
      'UNAUTHORIZED',
    );
    expectError(await call('GET', variablesPath(exec), undefined, headers), 'UNAUTHORIZED');
    expectError(await call('GET', variablePath(exec, 'x'), undefined, headers), 'UNAUTHORIZED');
    expectError(await call('DELETE', executionPath(exec), undefined, headers), 'UNAUTHORIZED');
    const good = { Authorization: `Bearer ${TOKEN}` };
    expectError(await call('GET', variablePath(exec, 'x'), undefined, good), 'VARIABLE_NOT_FOUND');
    expectError(await call('GET', variablePath(exec, 'y'), undefined, good), 'VARIABLE_NOT_FOUND');
  });

  test('the right token works for every variables endpoint; the scheme is case-insensitive', async () => {
    const exec = newExecutionId('auth-ok');
    const good = { Authorization: `Bearer ${TOKEN}` };
    expectStatus(await call('PUT', variablePath(exec, 'x'), body('v'), good), 201);
    expectStatus(await call('PUT', variablePath(exec, 'x'), body('w'), { Authorization: `bearer ${TOKEN}` }), 200);
    expectStatus(
      await call(
        'POST',
        variablesPath(exec),
        JSON.stringify({ variables: [{ variable_name: 'y', value: 1, source_step_index: 0 }] }),
        good,
      ),
      200,
    );
    expect((await call('GET', variablePath(exec, 'x'), undefined, good)).json.value).toBe('w');
    expect((await call('GET', variablesPath(exec), undefined, good)).json.count).toBe(2);
    expectStatus(await call('GET', executionPath(exec), undefined, good), 200);
    expectStatus(await call('DELETE', variablePath(exec, 'x'), undefined, good), 204);
    expectStatus(await call('DELETE', executionPath(exec), undefined, good), 204);
  });

  test('health and the OpenAPI document are open', async () => {
    expectStatus(await call('GET', '/api/health'), 200);
    expectStatus(await call('GET', '/api/openapi.json'), 200);
    expectStatus(await call('GET', '/api/health', undefined, { Authorization: 'Bearer wrong' }), 200);
  });

  test('every other request needs the token, unknown routes included', async () => {
    expectError(await call('GET', '/api/v1/nothing'), 'UNAUTHORIZED');
    expectError(await call('PATCH', variablePath('e', 'x'), body()), 'UNAUTHORIZED');
  });

  test('401 carries CORS headers, follows Accept-Language and never echoes the token', async () => {
    const response = await call('GET', variablesPath(newExecutionId('auth-zh')), undefined, {
      Origin: 'http://editor.example',
      'Accept-Language': 'zh-CN',
    });
    expectError(response, 'UNAUTHORIZED');
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(hasCjk(response.json.user_message)).toBe(true);
    expect(response.text).not.toContain(TOKEN);
  });

  test('with CORS_ORIGINS configured, only those origins are allowed', async () => {
    const good = { Authorization: `Bearer ${TOKEN}` };
    const exec = newExecutionId('cors-origins');
    const allowed = await call('GET', variablesPath(exec), undefined, { ...good, Origin: ALLOWED_ORIGIN });
    expectStatus(allowed, 200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(headerList(allowed.headers.get('vary'))).toContain('origin');
    const other = await call('GET', variablesPath(exec), undefined, { ...good, Origin: 'http://other.example' });
    expect(other.headers.get('access-control-allow-origin')).toBe('http://other.example');
    const foreign = await call('GET', variablesPath(exec), undefined, { ...good, Origin: 'http://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    // The answer varies with Origin either way, so a shared cache keeps them apart.
    expect(headerList(foreign.headers.get('vary'))).toContain('origin');
    expect(headerList((await call('GET', variablesPath(exec), undefined, good)).headers.get('vary'))).toContain('origin');
    const preflight = await call('OPTIONS', variablePath(exec, 'x'), undefined, {
      Origin: ALLOWED_ORIGIN,
      'Access-Control-Request-Method': 'PUT',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const foreignPreflight = await call('OPTIONS', variablePath(exec, 'x'), undefined, {
      Origin: 'http://evil.example',
      'Access-Control-Request-Method': 'PUT',
    });
    expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a CORS preflight needs no token', async () => {
    const response = await call('OPTIONS', variablePath(newExecutionId('auth-preflight'), 'x'), undefined, {
      Origin: 'http://editor.example',
      'Access-Control-Request-Method': 'PUT',
      'Access-Control-Request-Headers': 'authorization,content-type',
    });
    expect(response.status).toBe(204);
    expect(headerList(response.headers.get('access-control-allow-headers'))).toContain('authorization');
  });
});

test('timestamps in error bodies use milliseconds', async () => {
  const response = await ctx.call('GET', variablePath(newExecutionId('ts'), 'nope'));
  expect(response.json.error.timestamp).toMatch(ISO_MS);
});

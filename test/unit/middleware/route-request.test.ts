/**
 * routeRequest alone, in a bare middy chain: it parses a request from its route entry (path, body
 * envelope, query, body schema, headers) into the handler's typed input, or throws the exact
 * ApiError the API has always answered with (API.md §2, §3, §5).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { ApiError } from '#domain/errors';
import { ROUTE, ROUTES, type RouteDefinition } from '#functions/routes';
import { type RoutedEvent, type RouteInput, routeRequest } from '#middleware/route-request';
import { createTestEvent } from '../../support/test-event';

const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

interface Sent {
  method?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

function eventFor(route: RouteDefinition, sent: Sent = {}): APIGatewayProxyEventV2 {
  const { event } = createTestEvent({
    method: sent.method ?? route.method,
    path: route.path,
    pathParameters: sent.pathParameters ?? { execution_id: 'exec-1', variable_name: 'user_id' },
    query: sent.query,
    headers: sent.headers,
    body: sent.body,
  });
  return { ...event, isBase64Encoded: sent.isBase64Encoded ?? false };
}

/** The bare chain: the middleware, and a handler that hands back what it parsed. */
async function parsed<R extends RouteDefinition>(route: R, sent: Sent = {}): Promise<RouteInput<R>> {
  const handler = middy<RoutedEvent<R>, RouteInput<R> | undefined, Error, Context>()
    .use(routeRequest(route))
    .handler(async (event) => event.input);
  const input = await handler(eventFor(route, sent), context);
  if (input === undefined) throw new Error('no input');
  return input;
}

/** The ApiError the chain is rejected with, as the client would see it (code, message, details). */
async function refused(route: RouteDefinition, sent: Sent = {}) {
  const handler = middy<RoutedEvent<RouteDefinition>, unknown, Error, Context>()
    .use(routeRequest(route))
    .handler(async () => 'handled');
  try {
    await handler(eventFor(route, sent), context);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { code: error.code, message: error.message, details: error.details };
  }
  throw new Error('the request was accepted');
}

const json = (body: unknown) => JSON.stringify(body);
const aWrite = { value: 'v', source_step_index: 1 };

describe('path parameters', () => {
  it('an invalid execution id is INVALID_EXECUTION_ID, before the variable name is looked at', async () => {
    expect(await refused(ROUTE.GetVariable, { pathParameters: { execution_id: '-bad', variable_name: '9bad' } })).toEqual({
      code: 'INVALID_EXECUTION_ID',
      message: "Invalid execution id '-bad'",
      details: { execution_id: '-bad' },
    });
  });

  it('an invalid variable name is INVALID_VARIABLE_NAME with the name excerpted', async () => {
    const long = `9${'x'.repeat(150)}`;
    expect(await refused(ROUTE.GetVariable, { pathParameters: { execution_id: 'e1', variable_name: long } })).toEqual({
      code: 'INVALID_VARIABLE_NAME',
      message: `Invalid variable name '${long.slice(0, 100)}…'`,
      details: { variable_name: `${long.slice(0, 100)}…` },
    });
  });

  it('the properties route takes a reference path whose root is a name', async () => {
    const input = await parsed(ROUTE.GetProperties, { pathParameters: { execution_id: 'e1', variable_name: 'items[-1].tags' } });
    expect(input.path).toEqual({ execution_id: 'e1', variable_name: 'items[-1].tags' });
    const bad = await refused(ROUTE.GetProperties, { pathParameters: { execution_id: 'e1', variable_name: '1items.tags' } });
    expect(bad.code).toBe('INVALID_VARIABLE_NAME');
  });
});

describe('the JSON envelope of the body', () => {
  const put = ROUTE.StoreVariable;

  it('a media type that is not JSON is UNSUPPORTED_MEDIA_TYPE; application/*+json and no Content-Type are JSON', async () => {
    expect(await refused(put, { headers: { 'Content-Type': 'text/plain' }, body: json(aWrite) })).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: "Content-Type 'text/plain' is not JSON",
      details: { content_type: 'text/plain' },
    });
    const jsonHeaders: Array<Record<string, string>> = [{ 'content-type': 'application/merge-patch+json; charset=utf-8' }, {}];
    for (const headers of jsonHeaders) {
      expect((await parsed(put, { headers, body: json(aWrite) })).body.value).toBe('v');
    }
  });

  it('over 2 MiB is PAYLOAD_TOO_LARGE with the limit and the size', async () => {
    const body = json({ ...aWrite, value: 'x'.repeat(2 * 1024 * 1024) });
    expect(await refused(put, { body })).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: `Request body of ${Buffer.byteLength(body)} bytes is over the 2 MiB limit`,
      details: { limit_bytes: 2 * 1024 * 1024, size_bytes: Buffer.byteLength(body) },
    });
  });

  it('bytes that are not UTF-8 and text that is not JSON are INVALID_JSON, without quoting the body', async () => {
    const notUtf8 = Buffer.concat([Buffer.from('{"value":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","source_step_index":1}')]);
    expect(await refused(put, { body: notUtf8.toString('base64'), isBase64Encoded: true })).toEqual({
      code: 'INVALID_JSON',
      message: 'Request body is not valid UTF-8, so it is not JSON',
      details: {},
    });
    expect(await refused(put, { body: '{"value": "hunter2",' })).toEqual({
      code: 'INVALID_JSON',
      message: 'Request body is not valid JSON',
      details: {},
    });
  });

  it('a body nested deeper than 512 levels is refused before any schema walks it', async () => {
    const deep = `{"value":${'['.repeat(600)}${']'.repeat(600)},"source_step_index":1}`;
    expect(await refused(put, { body: deep })).toEqual({
      code: 'INVALID_REQUEST',
      message: 'Request body is nested deeper than 512 levels',
      details: { field: 'body' },
    });
  });

  it('GET and DELETE ignore whatever body is sent', async () => {
    expect((await parsed(ROUTE.GetVariable, { body: 'not json at all' })).rawBody).toBeUndefined();
    expect((await parsed(ROUTE.DeleteVariable, { body: 'not json at all' })).rawBody).toBeUndefined();
  });
});

describe('key order and __proto__ (API.md §3)', () => {
  const put = ROUTE.StoreVariable;
  const key = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.nat({ max: 50 }).map(String),
    fc.constantFrom('__proto__', 'constructor', '-1', '01'),
  );
  const entries = fc.uniqueArray(fc.tuple(key, fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null))), {
    selector: ([name]) => name,
    maxLength: 12,
  });
  const objectText = (pairs: Array<[string, unknown]>) => `{${pairs.map(([name, value]) => `${json(name)}:${json(value)}`).join(',')}}`;

  it('a value keeps its keys in the order sent, integer-like keys and __proto__ included', async () => {
    await fc.assert(
      fc.asyncProperty(entries, async (pairs) => {
        const text = objectText(pairs);
        const { body } = await parsed(put, { body: `{"value":${text},"source_step_index":0}` });
        expect(Object.keys(body.value as object)).toEqual(pairs.map(([name]) => name));
        expect(json(body.value)).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it('__proto__ stays an own key: no prototype is set, nothing is polluted', async () => {
    const { body } = await parsed(put, { body: '{"value":{"__proto__":{"polluted":true}},"source_step_index":0}' });
    const value = body.value as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('source_api_params keeps its key order and the raw body is the JSON as sent', async () => {
    const text = '{"value":1,"source_step_index":0,"source_api_params":{"b":1,"2":2,"a":3}}';
    const input = await parsed(put, { body: text });
    expect(Object.keys(input.body.source_api_params ?? {})).toEqual(['b', '2', 'a']);
    expect(json(input.rawBody)).toBe(text);
  });
});

describe('query parameters coerce as the API reads them', () => {
  const list = ROUTE.ListVariables;

  it('limit: a positive integer stays an integer, clamped to the maximum; absent is the default', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), async (limit) => {
        const { query } = await parsed(list, { query: { limit: String(limit) } });
        expect(query.limit).toBe(Math.min(limit, 1000));
        expect(Number.isInteger(query.limit)).toBe(true);
      }),
      { numRuns: 50 },
    );
    expect((await parsed(list)).query.limit).toBe(100);
    expect((await parsed(list, { query: { limit: '99999999999999999999999' } })).query.limit).toBe(1000);
  });

  it('limit: anything but a positive integer is 400 naming it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 8 }).filter((raw) => !/^\d+$/.test(raw) || /^0+$/.test(raw)),
        async (raw) => {
          expect(await refused(list, { query: { limit: raw } })).toEqual({
            code: 'INVALID_REQUEST',
            message: `Query parameter 'limit' must be a positive integer, got '${raw}'`,
            details: { field: 'limit' },
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('flags: only "true" in any letter case is true; absent is the route default', async () => {
    expect((await parsed(list, { query: { include_values: 'TRUE' } })).query.include_values).toBe(true);
    expect((await parsed(list, { query: { include_values: 'yes' } })).query.include_values).toBe(false);
    expect((await parsed(list)).query.include_values).toBe(false);
    expect((await parsed(ROUTE.GetSuggestions)).query.include_properties).toBe(true);
  });

  it('strict step_index: not an integer is INVALID_REQUEST, out of 0..100000 is INVALID_STEP_INDEX', async () => {
    const search = ROUTE.SearchVariables;
    expect((await parsed(search, { query: { q: 'a', step_index: '7' } })).query.step_index).toBe(7);
    expect(await refused(search, { query: { q: 'a', step_index: '1.5' } })).toEqual({
      code: 'INVALID_REQUEST',
      message: "Query parameter 'step_index' must be an integer, got '1.5'",
      details: { field: 'step_index' },
    });
    expect(await refused(search, { query: { q: 'a', step_index: '100001' } })).toEqual({
      code: 'INVALID_STEP_INDEX',
      message: "Query parameter 'step_index' must be 0..100000, got '100001'",
      details: { field: 'step_index' },
    });
  });

  it("the editor's loose parameters never fail: a bad value is absent", async () => {
    const { query } = await parsed(ROUTE.GetSuggestions, { query: { step_index: 'two', limit: '-3' } });
    expect(query).toEqual({ step_index: undefined, include_properties: true, limit: undefined });
  });

  it('q is trimmed; blank or over 100 code points is 400 (100 emoji are 100 code points, not 200)', async () => {
    const search = ROUTE.SearchVariables;
    expect((await parsed(search, { query: { q: '  user  ' } })).query.q).toBe('user');
    expect((await parsed(search, { query: { q: '😀'.repeat(100) } })).query.q).toBe('😀'.repeat(100));
    expect((await refused(search, { query: { q: '   ' } })).message).toBe("Query parameter 'q' must not be blank");
    expect((await refused(search)).message).toBe("Query parameter 'q' must not be blank");
    expect((await refused(search, { query: { q: 'x'.repeat(101) } })).message).toBe("Query parameter 'q' is longer than 100 characters");
  });

  it('max_depth: any integer is clamped to 1..5, a non-integer is 400', async () => {
    const properties = ROUTE.GetProperties;
    expect((await parsed(properties)).query.max_depth).toBe(3);
    expect((await parsed(properties, { query: { max_depth: '-99999999999999999999' } })).query.max_depth).toBe(1);
    expect((await parsed(properties, { query: { max_depth: '99' } })).query.max_depth).toBe(5);
    expect(await refused(properties, { query: { max_depth: '2.5' } })).toEqual({
      code: 'INVALID_REQUEST',
      message: "Query parameter 'max_depth' must be an integer, got '2.5'",
      details: { field: 'max_depth' },
    });
  });

  it('when several parameters fail, the answer is the first in the order the service checks them', async () => {
    const references = ROUTE.ListReferences;
    const all = { step_index: 'x', status: 'maybe', variable_name: '9', limit: '0' };
    expect((await refused(references, { query: all })).details).toEqual({ field: 'limit' });
    expect((await refused(references, { query: { ...all, limit: '5' } })).details).toEqual({ field: 'step_index' });
    expect(await refused(references, { query: { status: 'maybe', variable_name: '9' } })).toEqual({
      code: 'INVALID_REQUEST',
      message: "Query parameter 'status' must be 'success' or 'failed', got 'maybe'",
      details: { field: 'status' },
    });
    expect(await refused(references, { query: { variable_name: '9' } })).toEqual({
      code: 'INVALID_VARIABLE_NAME',
      message: "Invalid variable name '9'",
      details: { field: 'variable_name' },
    });
  });
});

describe('headers', () => {
  const put = ROUTE.StoreVariable;

  it('If-Match is a bare or quoted version, whatever the header name case', async () => {
    for (const [sent, version] of [
      ['3', 3],
      ['"4"', 4],
      ['W/"5"', 5],
    ] as const) {
      expect((await parsed(put, { headers: { 'if-match': sent }, body: json(aWrite) })).headers['If-Match']).toBe(version);
    }
    expect((await parsed(put, { body: json(aWrite) })).headers['If-Match']).toBeUndefined();
  });

  it('an If-Match that is no version is 400, but a bad body is answered first', async () => {
    expect(await refused(put, { headers: { 'If-Match': '"1' }, body: json(aWrite) })).toEqual({
      code: 'INVALID_REQUEST',
      message: `If-Match '"1' is not a version number`,
      details: { field: 'If-Match' },
    });
    expect((await refused(put, { headers: { 'If-Match': '"1' }, body: '[]' })).message).toBe('A variable must be a JSON object');
  });

  it('an Idempotency-Key outside 1..255 printable ASCII is 400', async () => {
    expect(await refused(ROUTE.DeleteExecution, { headers: { 'Idempotency-Key': 'ключ' } })).toEqual({
      code: 'INVALID_REQUEST',
      message: 'Idempotency-Key must be 1 to 255 printable ASCII characters',
      details: { field: 'Idempotency-Key' },
    });
  });

  it('Accept-Language gives the language of texts for people', async () => {
    expect((await parsed(ROUTE.GetExecution, { headers: { 'accept-language': 'zh-CN,en;q=0.5' } })).language).toBe('zh');
    expect((await parsed(ROUTE.GetExecution)).language).toBe('en');
  });
});

describe('write bodies', () => {
  const put = ROUTE.StoreVariable;
  const post = ROUTE.StoreVariables;

  it('a PUT body becomes the write named by the path, integers staying integers', async () => {
    const { body } = await parsed(put, { body: json({ value: 42, source_step_index: 3 }) });
    expect(body).toEqual({
      variable_name: 'user_id',
      value: 42,
      source_step_index: 3,
      source_api_method: null,
      source_api_params: null,
      sensitive: false,
    });
  });

  it('the first broken field is the answer; an identifier rule has its own code', async () => {
    expect(await refused(put)).toEqual({ code: 'INVALID_REQUEST', message: 'A JSON request body is required', details: { field: 'body' } });
    expect(await refused(put, { body: json({ value: 1, source_step_index: '3' }) })).toEqual({
      code: 'INVALID_STEP_INDEX',
      message: 'Invalid field \'source_step_index\' "3": must be an integer from 0 to 100000',
      details: { field: 'source_step_index' },
    });
    expect(await refused(put, { body: '{"value":1e400,"source_step_index":0}' })).toEqual({
      code: 'INVALID_REQUEST',
      message: "Field 'value' holds a number literal that overflows to infinity",
      details: { field: 'value' },
    });
  });

  it('a value over 1 MiB is VALUE_TOO_LARGE, named by the path', async () => {
    const value = 'x'.repeat(1024 * 1024);
    expect(await refused(put, { body: json({ value, source_step_index: 0 }) })).toEqual({
      code: 'VALUE_TOO_LARGE',
      message: `Field 'value' of variable 'user_id' is ${1024 * 1024 + 2} bytes of JSON, over the 1048576-byte limit`,
      details: { field: 'value' },
    });
  });

  it('POST: one named variable or a batch, checked whole with every bad item by index', async () => {
    const single = await parsed(post, { body: json({ variable_name: 'a', ...aWrite }) });
    expect(single.body).toEqual({ kind: 'single', write: expect.objectContaining({ variable_name: 'a', value: 'v' }) });
    const batch = { variables: [{ variable_name: 'a', ...aWrite }, { variable_name: 'a', ...aWrite }, { value: 1 }] };
    expect(await refused(post, { body: json(batch) })).toEqual({
      code: 'INVALID_REQUEST',
      message: '2 of 3 batch items are invalid; nothing was stored',
      details: {
        items: [
          { index: 1, code: 'INVALID_REQUEST', field: 'variable_name', message: "Variable 'a' appears twice in the batch (items 0 and 1)" },
          { index: 2, code: 'INVALID_REQUEST', field: 'variable_name', message: expect.stringContaining("Invalid field 'variable_name'") },
        ],
      },
    });
  });

  it('POST: a batch with If-Match is refused before its items are read', async () => {
    const batch = { variables: [{ value: 'no name' }] };
    expect(await refused(post, { headers: { 'If-Match': '1' }, body: json(batch) })).toEqual({
      code: 'INVALID_REQUEST',
      message: 'If-Match applies to one variable: send it with PUT or a single-variable POST, not a batch',
      details: { field: 'If-Match' },
    });
  });
});

describe('typed output', () => {
  it("ROUTE is keyed by each entry's operation, in the order of the table", () => {
    expect(Object.entries(ROUTE).map(([key, route]) => [key, route.operation])).toEqual(
      ROUTES.map((route) => [route.operation, route.operation]),
    );
  });
});

/**
 * The variable store end to end (API.md §1-§3, §5 "Variables"): create, overwrite, read, delete,
 * data types, numbers, prototype-looking names and keys, unicode, sizes, If-Match, sensitive values.
 */
import {
  etagVersion,
  executionPath,
  expectAbsent,
  expectError,
  expectMetadata,
  expectSameString,
  expectStatus,
  ISO_MS,
  jsonBytes,
  listAll,
  MIB,
  newExecutionId,
  putVariable,
  sleep,
  stringOfJsonBytes,
  useServer,
  variablePath,
  variablesPath,
} from './support';

const ctx = useServer();

describe('PUT /variables/{name}: create and overwrite', () => {
  test('create answers 201 with exact metadata and an ETag holding the version', async () => {
    const exec = newExecutionId('crud-create');
    const response = await putVariable(ctx.call, exec, 'user_name', 'alice', {
      source_step_index: 3,
      source_api_method: 'aiString',
      source_api_params: { prompt: 'name?' },
    });
    expectStatus(response, 201);
    expectMetadata(response.json, {
      execution_id: exec,
      variable_name: 'user_name',
      data_type: 'string',
      source_step_index: 3,
      source_api_method: 'aiString',
      version: 1,
      size_bytes: 7,
      sensitive: false,
    });
    expect(response.json.created_at).toBe(response.json.updated_at);
    expect(etagVersion(response)).toBe(1);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  test('overwrite answers 200, bumps version and ETag, keeps created_at and moves updated_at', async () => {
    const exec = newExecutionId('crud-overwrite');
    const first = await putVariable(ctx.call, exec, 'counter', 1, { source_step_index: 1 });
    expectStatus(first, 201);
    await sleep(5);
    const second = await putVariable(ctx.call, exec, 'counter', 2, { source_step_index: 2, source_api_method: 'aiNumber' });
    expectStatus(second, 200);
    expectMetadata(second.json, { version: 2, source_step_index: 2, source_api_method: 'aiNumber', data_type: 'number' });
    expect(second.json.created_at).toBe(first.json.created_at);
    expect(second.json.updated_at > first.json.updated_at).toBe(true);
    expect(etagVersion(second)).toBe(2);
    await sleep(5);
    const third = await putVariable(ctx.call, exec, 'counter', 'three');
    expectStatus(third, 200);
    expect(third.json.version).toBe(3);
    expect(third.json.data_type).toBe('string');
    expect(third.json.created_at).toBe(first.json.created_at);
    expect(third.json.updated_at > second.json.updated_at).toBe(true);
    expect(etagVersion(third)).toBe(3);

    const read = await ctx.call('GET', variablePath(exec, 'counter'));
    expectStatus(read, 200);
    expect(read.json.value).toBe('three');
    expect(read.json.version).toBe(3);
    expect(read.json.created_at).toBe(first.json.created_at);
    expect(read.json.updated_at).toBe(third.json.updated_at);
    expect(etagVersion(read)).toBe(3);
  });

  test('timestamps are ISO-8601 UTC with milliseconds and close to now', async () => {
    const exec = newExecutionId('crud-time');
    const before = Date.now();
    const response = await putVariable(ctx.call, exec, 't', true);
    const after = Date.now();
    expectStatus(response, 201);
    for (const field of ['created_at', 'updated_at']) {
      expect(response.json[field]).toMatch(ISO_MS);
      const at = Date.parse(response.json[field]);
      expect(at).toBeGreaterThanOrEqual(before - 2000);
      expect(at).toBeLessThanOrEqual(after + 2000);
    }
  });

  test('GET returns metadata + value + source_api_params', async () => {
    const exec = newExecutionId('crud-get');
    const params = { query: 'the price', nested: { list: [1, 'two', null, true] } };
    expectStatus(
      await putVariable(ctx.call, exec, 'price', 12.5, { source_step_index: 4, source_api_method: 'aiQuery', source_api_params: params }),
      201,
    );
    const read = await ctx.call('GET', variablePath(exec, 'price'));
    expectStatus(read, 200);
    expectMetadata(
      read.json,
      {
        execution_id: exec,
        variable_name: 'price',
        data_type: 'number',
        source_step_index: 4,
        source_api_method: 'aiQuery',
        version: 1,
        size_bytes: 4,
      },
      ['value', 'source_api_params'],
    );
    expect(read.json.value).toBe(12.5);
    expect(read.json.source_api_params).toEqual(params);
  });

  test('source_api_method and source_api_params are optional', async () => {
    const exec = newExecutionId('crud-optional');
    const created = await ctx.call('PUT', variablePath(exec, 'plain'), { value: 'x', source_step_index: 0 });
    expectStatus(created, 201);
    expectMetadata(created.json, { source_step_index: 0 });
    const read = await ctx.call('GET', variablePath(exec, 'plain'));
    expectStatus(read, 200);
    expect(read.json).toHaveProperty('source_api_params');
    expect(read.json).toHaveProperty('source_api_method');
  });

  test('step index boundaries 0 and 100000 are accepted', async () => {
    const exec = newExecutionId('crud-steps');
    expectStatus(await putVariable(ctx.call, exec, 'first', 1, { source_step_index: 0 }), 201);
    const last = await putVariable(ctx.call, exec, 'last', 1, { source_step_index: 100000 });
    expectStatus(last, 201);
    expect(last.json.source_step_index).toBe(100000);
  });

  test('source_api_method of exactly 100 characters is accepted', async () => {
    const exec = newExecutionId('crud-method');
    const method = 'm'.repeat(100);
    const response = await putVariable(ctx.call, exec, 'v', 1, { source_api_method: method });
    expectStatus(response, 201);
    expect(response.json.source_api_method).toBe(method);
  });

  test("executions never see each other's data", async () => {
    const a = newExecutionId('crud-iso-a');
    const b = newExecutionId('crud-iso-b');
    expectStatus(await putVariable(ctx.call, a, 'shared', 'from a'), 201);
    await expectAbsent(ctx.call, b, 'shared');
    expectStatus(await putVariable(ctx.call, b, 'shared', 'from b'), 201);
    expect((await ctx.call('GET', variablePath(a, 'shared'))).json.value).toBe('from a');
    expect((await ctx.call('GET', variablePath(b, 'shared'))).json.value).toBe('from b');
    const listB = await ctx.call('GET', variablesPath(b));
    expect(listB.json.variables.map((v: any) => v.variable_name)).toEqual(['shared']);
  });
});

describe('data types and values', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a_string', 'hello', 'string'],
    ['empty_string', '', 'string'],
    ['a_number', 42, 'number'],
    ['negative_float', -0.125, 'number'],
    ['a_true', true, 'boolean'],
    ['a_false', false, 'boolean'],
    ['an_object', { name: 'Widget', price: 9.99, tags: ['a', 'b'], meta: { ok: true, none: null } }, 'object'],
    ['empty_object', {}, 'object'],
    ['an_array', [1, 'two', { three: 3 }, [4], null, false], 'array'],
    ['empty_array', [], 'array'],
    ['a_null', null, 'null'],
  ];

  test.each(cases)('%s round-trips with data_type and size_bytes', async (name, value, dataType) => {
    const exec = newExecutionId('types');
    const created = await putVariable(ctx.call, exec, name, value);
    expectStatus(created, 201);
    expect(created.json.data_type).toBe(dataType);
    expect(created.json.size_bytes).toBe(jsonBytes(value));
    const read = await ctx.call('GET', variablePath(exec, name));
    expectStatus(read, 200);
    expect(read.json).toHaveProperty('value');
    expect(read.json.value).toEqual(value);
    expect(read.json.data_type).toBe(dataType);
    expect(read.json.size_bytes).toBe(jsonBytes(value));
  });

  test('null is a real value: GET answers 200 with value null, distinct from a missing variable', async () => {
    const exec = newExecutionId('types-null');
    expectStatus(await putVariable(ctx.call, exec, 'nothing', null), 201);
    const read = await ctx.call('GET', variablePath(exec, 'nothing'));
    expectStatus(read, 200);
    expect(read.json.value).toBeNull();
    expect(read.text).toMatch(/"value":\s*null/);
    expect(read.json.data_type).toBe('null');
    expect(read.json.size_bytes).toBe(4);
    await expectAbsent(ctx.call, exec, 'something_else');
    const list = await ctx.call('GET', `${variablesPath(exec)}?include_values=true`);
    expect(list.json.variables[0]).toHaveProperty('value', null);
  });

  test('integers come back as integers (5, not 5.0), also when sent as 5.0', async () => {
    const exec = newExecutionId('numbers-int');
    expectStatus(await putVariable(ctx.call, exec, 'five', 5), 201);
    const read = await ctx.call('GET', variablePath(exec, 'five'));
    expect(read.text).toMatch(/"value":\s*5\s*[,}]/);
    expect(read.text).not.toMatch(/"value":\s*5\.0/);

    const raw = await ctx.call('PUT', variablePath(exec, 'five_point_zero'), '{"value": 5.0, "source_step_index": 0}');
    expectStatus(raw, 201);
    expect(raw.json.data_type).toBe('number');
    const readRaw = await ctx.call('GET', variablePath(exec, 'five_point_zero'));
    expect(readRaw.text).toMatch(/"value":\s*5\s*[,}]/);
  });

  test('2^53 and other large integers are exact; doubles round-trip', async () => {
    const exec = newExecutionId('numbers-big');
    const values: Record<string, number> = {
      two_53: 9007199254740992,
      max_safe: 9007199254740991,
      neg_two_53: -9007199254740992,
      big_double: 1.7976931348623157e308,
      tiny: 5e-324,
      third: 0.30000000000000004,
      zero: 0,
      big_int_double: 1e21,
    };
    for (const [name, value] of Object.entries(values)) expectStatus(await putVariable(ctx.call, exec, name, value), 201);
    for (const [name, value] of Object.entries(values)) {
      const read = await ctx.call('GET', variablePath(exec, name));
      expectStatus(read, 200);
      expect(read.json.value).toBe(value);
    }
    const read = await ctx.call('GET', variablePath(exec, 'two_53'));
    expect(read.text).toMatch(/"value":\s*9007199254740992\s*[,}]/);
    const nested = await putVariable(ctx.call, exec, 'nested_ints', { a: [1, 2, 9007199254740992], b: { c: -7 } });
    expectStatus(nested, 201);
    const nestedRead = await ctx.call('GET', variablePath(exec, 'nested_ints'));
    expect(nestedRead.text).toContain('"a":[1,2,9007199254740992]');
  });

  test('depth 64 round-trips', async () => {
    const exec = newExecutionId('depth');
    const value = { outer: nestedDepth(63) };
    const created = await putVariable(ctx.call, exec, 'deep', value);
    expectStatus(created, 201);
    const read = await ctx.call('GET', variablePath(exec, 'deep'));
    expectStatus(read, 200);
    expect(read.json.value).toEqual(value);
  });

  test('unicode strings and keys round-trip; size_bytes counts UTF-8 of compact JSON', async () => {
    const exec = newExecutionId('unicode');
    const values: Record<string, unknown> = {
      chinese: '商品名称：苹果',
      emoji: '👍🏽 family: 👨‍👩‍👧 flag: 🇯🇵',
      mixed: 'héllo wörld — “quotes” \u00a0',
      separators: 'line\u2028para\u2029end',
      controls: 'tab\tnew\nline "quote" back\\slash \u0001',
      keys: { 商品: { 价格: 3.5 }, 'émoji👍': ['ü'], '': 'empty key' },
    };
    for (const [name, value] of Object.entries(values)) {
      const created = await putVariable(ctx.call, exec, name, value);
      expectStatus(created, 201);
      expect({ name, size: created.json.size_bytes }).toEqual({ name, size: jsonBytes(value) });
    }
    for (const [name, value] of Object.entries(values)) {
      const read = await ctx.call('GET', variablePath(exec, name));
      expect(read.json.value).toEqual(value);
      expect(read.json.size_bytes).toBe(jsonBytes(value));
    }
  });

  test('a lone surrogate escape is either rejected with 400 or round-trips exactly, never corrupted', async () => {
    const exec = newExecutionId('surrogate');
    const response = await ctx.call('PUT', variablePath(exec, 'lone'), '{"value": "a\\ud800b", "source_step_index": 0}');
    expect([201, 400]).toContain(response.status);
    if (response.status === 201) {
      expect((await ctx.call('GET', variablePath(exec, 'lone'))).json.value).toBe('a\ud800b');
    } else {
      expectError(response, response.json.error.code);
      await expectAbsent(ctx.call, exec, 'lone');
    }
  });

  test('object keys keep their insertion order', async () => {
    const exec = newExecutionId('key-order');
    const body = '{"value": {"zeta": 1, "alpha": 2, "mid": {"y": 1, "b": 2}, "Beta": 3}, "source_step_index": 0}';
    expectStatus(await ctx.call('PUT', variablePath(exec, 'ordered'), body), 201);
    const read = await ctx.call('GET', variablePath(exec, 'ordered'));
    expect(read.text).toContain('{"zeta":1,"alpha":2,"mid":{"y":1,"b":2},"Beta":3}');
  });

  test('object keys that look like array indexes keep their insertion order too', async () => {
    const exec = newExecutionId('key-order-num');
    const body = '{"value": {"b": 1, "2": 2, "a": 3, "1": 4}, "source_step_index": 0}';
    expectStatus(await ctx.call('PUT', variablePath(exec, 'ordered'), body), 201);
    const read = await ctx.call('GET', variablePath(exec, 'ordered'));
    expect(read.text).toContain('{"b":1,"2":2,"a":3,"1":4}');
  });
});

describe('prototype-looking names and keys are plain data', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__'];

  test('reading such a name in an empty execution is 404, not a prototype member', async () => {
    const exec = newExecutionId('proto-empty');
    for (const name of names) await expectAbsent(ctx.call, exec, name);
    const list = await ctx.call('GET', variablesPath(exec));
    expectStatus(list, 200);
    expect(list.json.variables).toEqual([]);
  });

  test('such names store, read, list, overwrite and delete as ordinary names', async () => {
    const exec = newExecutionId('proto-names');
    for (const [i, name] of names.entries()) {
      const created = await putVariable(ctx.call, exec, name, { n: i }, { source_step_index: i });
      expectStatus(created, 201);
      expect(created.json.variable_name).toBe(name);
      expect(created.json.version).toBe(1);
    }
    for (const [i, name] of names.entries()) {
      const read = await ctx.call('GET', variablePath(exec, name));
      expectStatus(read, 200);
      expect(read.json.variable_name).toBe(name);
      expect(read.json.value).toEqual({ n: i });
    }
    const list = await ctx.call('GET', variablesPath(exec));
    expect(list.json.variables.map((v: any) => v.variable_name)).toEqual(names);
    const overwritten = await putVariable(ctx.call, exec, '__proto__', 'again', { source_step_index: 0 });
    expectStatus(overwritten, 200);
    expect(overwritten.json.version).toBe(2);
    expectStatus(await ctx.call('DELETE', variablePath(exec, 'constructor')), 204);
    await expectAbsent(ctx.call, exec, 'constructor');
    expect((await ctx.call('GET', variablePath(exec, 'toString'))).json.value).toEqual({ n: 2 });
  });

  test('__proto__, constructor and toString as object keys round-trip as own data, in order', async () => {
    const exec = newExecutionId('proto-keys');
    const valueText = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"toString":"not a function","hasOwnProperty":1}';
    const created = await ctx.call('PUT', variablePath(exec, 'tricky'), `{"value":${valueText},"source_step_index":0}`);
    expectStatus(created, 201);
    expect(created.json.data_type).toBe('object');
    expect(created.json.size_bytes).toBe(Buffer.byteLength(valueText));
    const read = await ctx.call('GET', variablePath(exec, 'tricky'));
    expectStatus(read, 200);
    expect(read.text).toContain(`"value":${valueText}`);
    expect(Object.keys(read.json.value)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    const list = await ctx.call('GET', `${variablesPath(exec)}?include_values=true`);
    expect(list.text).toContain(valueText);
    expect(list.json.variables[0].preview_value).toBe('{"__proto__": ..., "constructor": ..., "toString": ..., ...}');
  });
});

describe('sizes', () => {
  test('a value of exactly 1 MiB is accepted, reported and round-trips exactly', async () => {
    const exec = newExecutionId('size-exact');
    const value = stringOfJsonBytes(MIB);
    const created = await putVariable(ctx.call, exec, 'big', value);
    expectStatus(created, 201);
    expect(created.json.size_bytes).toBe(MIB);
    const read = await ctx.call('GET', variablePath(exec, 'big'));
    expectStatus(read, 200);
    expectSameString(read.json.value, value);
    expect(read.json.size_bytes).toBe(MIB);
  });

  test("values above DynamoDB's 400 KB item limit (500 KB string, object, array) round-trip exactly", async () => {
    const exec = newExecutionId('size-500k');
    const text = stringOfJsonBytes(500_000, '中');
    const object: Record<string, string> = {};
    for (let i = 0; i < 50; i += 1) object[`key_${i}`] = stringOfJsonBytes(10_000, i % 2 ? 'é' : 'x');
    const array = Array.from({ length: 5000 }, (_, i) => ({ i, s: `item-${i}-${'z'.repeat(80)}` }));
    for (const [name, value] of Object.entries({ text, object, array })) {
      const created = await putVariable(ctx.call, exec, name, value);
      expectStatus(created, 201);
      expect(created.json.size_bytes).toBe(jsonBytes(value));
      expect(created.json.size_bytes).toBeGreaterThan(400_000);
    }
    const readText = await ctx.call('GET', variablePath(exec, 'text'));
    expectSameString(readText.json.value, text);
    const readObject = await ctx.call('GET', variablePath(exec, 'object'));
    expectSameString(JSON.stringify(readObject.json.value), JSON.stringify(object));
    const readArray = await ctx.call('GET', variablePath(exec, 'array'));
    expectSameString(JSON.stringify(readArray.json.value), JSON.stringify(array));
  });

  test('overwriting a large value with a small one and back keeps only the latest', async () => {
    const exec = newExecutionId('size-swap');
    const big = stringOfJsonBytes(700_000);
    expectStatus(await putVariable(ctx.call, exec, 'swap', big), 201);
    expectStatus(await putVariable(ctx.call, exec, 'swap', 'small'), 200);
    let read = await ctx.call('GET', variablePath(exec, 'swap'));
    expect(read.json.value).toBe('small');
    expect(read.json.size_bytes).toBe(7);
    const big2 = stringOfJsonBytes(650_000, 'ü');
    expectStatus(await putVariable(ctx.call, exec, 'swap', big2), 200);
    read = await ctx.call('GET', variablePath(exec, 'swap'));
    expectSameString(read.json.value, big2);
    expect(read.json.version).toBe(3);
  });
});

describe('If-Match', () => {
  test('a matching bare or quoted version is accepted; a mismatch is 412 and stores nothing', async () => {
    const exec = newExecutionId('if-match');
    expectStatus(await putVariable(ctx.call, exec, 'guarded', 'v1'), 201);
    const bare = await putVariable(ctx.call, exec, 'guarded', 'v2', {}, { 'If-Match': '1' });
    expectStatus(bare, 200);
    expect(bare.json.version).toBe(2);
    const quoted = await putVariable(ctx.call, exec, 'guarded', 'v3', {}, { 'If-Match': '"2"' });
    expectStatus(quoted, 200);
    expect(quoted.json.version).toBe(3);

    const stale = await putVariable(ctx.call, exec, 'guarded', 'lost update', {}, { 'If-Match': '2' });
    expectError(stale, 'VERSION_MISMATCH');
    const staleQuoted = await putVariable(ctx.call, exec, 'guarded', 'lost update', {}, { 'If-Match': '"4"' });
    expectError(staleQuoted, 'VERSION_MISMATCH');
    const read = await ctx.call('GET', variablePath(exec, 'guarded'));
    expect(read.json.value).toBe('v3');
    expect(read.json.version).toBe(3);
    expect(read.json.updated_at).toBe(quoted.json.updated_at);

    const fromEtag = await putVariable(ctx.call, exec, 'guarded', 'v4', {}, { 'If-Match': read.headers.get('etag') ?? '"3"' });
    expectStatus(fromEtag, 200);
    expect(fromEtag.json.version).toBe(4);
  });

  test('If-Match 0 or a non-integer never overwrites', async () => {
    const exec = newExecutionId('if-match-odd');
    expectStatus(await putVariable(ctx.call, exec, 'guarded', 'v1'), 201);
    expectError(await putVariable(ctx.call, exec, 'guarded', 'x', {}, { 'If-Match': '0' }), 'VERSION_MISMATCH');
    for (const ifMatch of ['abc', '1.0', '-1', '"one"']) {
      const response = await putVariable(ctx.call, exec, 'guarded', 'x', {}, { 'If-Match': ifMatch });
      if (![400, 412].includes(response.status))
        throw new Error(`If-Match ${ifMatch}: expected 400 or 412, got ${response.status} ${response.text.slice(0, 200)}`);
      expectError(response, response.json.error.code);
    }
    const read = await ctx.call('GET', variablePath(exec, 'guarded'));
    expect(read.json.value).toBe('v1');
    expect(read.json.version).toBe(1);
  });

  test('DELETE with If-Match deletes only the version named: a stale one is 412 and keeps the variable', async () => {
    const exec = newExecutionId('if-match-delete');
    expectStatus(await putVariable(ctx.call, exec, 'guarded', 'v1'), 201);
    expectStatus(await putVariable(ctx.call, exec, 'guarded', 'v2'), 200);
    expectError(await ctx.call('DELETE', variablePath(exec, 'guarded'), undefined, { 'If-Match': '1' }), 'VERSION_MISMATCH');
    expect((await ctx.call('GET', variablePath(exec, 'guarded'))).json.version).toBe(2);
    expectError(await ctx.call('DELETE', variablePath(exec, 'guarded'), undefined, { 'If-Match': 'two' }), 'INVALID_REQUEST');
    expect((await ctx.call('DELETE', variablePath(exec, 'guarded'), undefined, { 'If-Match': '"2"' })).status).toBe(204);
    await expectAbsent(ctx.call, exec, 'guarded');
    expectError(await ctx.call('DELETE', variablePath(exec, 'guarded'), undefined, { 'If-Match': '2' }), 'VARIABLE_NOT_FOUND');
  });

  test('a batch with If-Match is refused: the precondition names no variable', async () => {
    const exec = newExecutionId('if-match-batch');
    const batch = { variables: [{ variable_name: 'a', value: 1, source_step_index: 0 }] };
    expectError(await ctx.call('POST', variablesPath(exec), batch, { 'If-Match': '1' }), 'INVALID_REQUEST');
    await expectAbsent(ctx.call, exec, 'a');
  });

  test('If-Match on a variable that does not exist is 412 and creates nothing', async () => {
    const exec = newExecutionId('if-match-missing');
    expectError(await putVariable(ctx.call, exec, 'ghost', 1, {}, { 'If-Match': '1' }), 'VERSION_MISMATCH');
    await expectAbsent(ctx.call, exec, 'ghost');
  });
});

describe('sensitive values', () => {
  test('GET returns the real value; list previews and values are masked', async () => {
    const exec = newExecutionId('sensitive');
    const secret = 'hunter2-super-secret';
    const created = await putVariable(ctx.call, exec, 'password', secret, { sensitive: true, source_step_index: 1 });
    expectStatus(created, 201);
    expect(created.json.sensitive).toBe(true);
    expect(created.text).not.toContain(secret);
    expectStatus(
      await putVariable(ctx.call, exec, 'token_obj', { token: secret, user: 'u' }, { sensitive: true, source_step_index: 2 }),
      201,
    );
    expectStatus(await putVariable(ctx.call, exec, 'visible', 'hello', { source_step_index: 3 }), 201);

    const read = await ctx.call('GET', variablePath(exec, 'password'));
    expect(read.json.value).toBe(secret);
    expect(read.json.sensitive).toBe(true);

    for (const query of ['', '?include_values=true']) {
      const list = await ctx.call('GET', `${variablesPath(exec)}${query}`);
      expectStatus(list, 200);
      expect(list.text).not.toContain(secret);
      const [password, tokenObj, visible] = list.json.variables;
      for (const item of [password, tokenObj]) {
        expect(item.sensitive).toBe(true);
        expect(item.preview_value).toBe('"******"');
        if (query) expect(item.value).toBe('******');
      }
      expect(visible.preview_value).toBe('"hello"');
      if (query) expect(visible.value).toBe('hello');
    }
  });

  test('each write sets the flag: an overwrite without sensitive unmasks, with it masks again', async () => {
    const exec = newExecutionId('sensitive-flag');
    expectStatus(await putVariable(ctx.call, exec, 'flag', 'first', { sensitive: true }), 201);
    const plain = await putVariable(ctx.call, exec, 'flag', 'second');
    expectStatus(plain, 200);
    expect(plain.json.sensitive).toBe(false);
    let list = await ctx.call('GET', `${variablesPath(exec)}?include_values=true`);
    expect(list.json.variables[0].value).toBe('second');
    expect(list.json.variables[0].sensitive).toBe(false);
    const masked = await putVariable(ctx.call, exec, 'flag', 'third', { sensitive: true });
    expect(masked.json.sensitive).toBe(true);
    list = await ctx.call('GET', `${variablesPath(exec)}?include_values=true`);
    expect(list.json.variables[0].value).toBe('******');
    expect(list.text).not.toContain('third');
    const explicitFalse = await putVariable(ctx.call, exec, 'flag', 'fourth', { sensitive: false });
    expect(explicitFalse.json.sensitive).toBe(false);
  });
});

describe('DELETE', () => {
  test('DELETE a variable → 204 with no body, then GET 404 VARIABLE_NOT_FOUND naming it; DELETE again → 404', async () => {
    const exec = newExecutionId('delete-var');
    expectStatus(await putVariable(ctx.call, exec, 'doomed', 'x'), 201);
    expectStatus(await putVariable(ctx.call, exec, 'kept', 'y'), 201);
    const deleted = await ctx.call('DELETE', variablePath(exec, 'doomed'));
    expectStatus(deleted, 204);
    expect(deleted.text).toBe('');
    const read = await ctx.call('GET', variablePath(exec, 'doomed'));
    const error = expectError(read, 'VARIABLE_NOT_FOUND');
    expect(error.message).toContain('doomed');
    expect(error.details.variable_name).toBe('doomed');
    const again = await ctx.call('DELETE', variablePath(exec, 'doomed'));
    const againError = expectError(again, 'VARIABLE_NOT_FOUND');
    expect(againError.message).toContain('doomed');
    expect((await ctx.call('GET', variablePath(exec, 'kept'))).json.value).toBe('y');
    const list = await ctx.call('GET', variablesPath(exec));
    expect(list.json.variables.map((v: any) => v.variable_name)).toEqual(['kept']);
    expect(list.json.count).toBe(1);
  });

  test('DELETE of a variable that never existed → 404', async () => {
    const exec = newExecutionId('delete-missing');
    expectError(await ctx.call('DELETE', variablePath(exec, 'never')), 'VARIABLE_NOT_FOUND');
  });

  test('a deleted name written again starts over: 201, version 1, new created_at', async () => {
    const exec = newExecutionId('delete-recreate');
    const first = await putVariable(ctx.call, exec, 'phoenix', 1);
    expectStatus(await putVariable(ctx.call, exec, 'phoenix', 2), 200);
    expectStatus(await ctx.call('DELETE', variablePath(exec, 'phoenix')), 204);
    await sleep(5);
    const again = await putVariable(ctx.call, exec, 'phoenix', 3);
    expectStatus(again, 201);
    expect(again.json.version).toBe(1);
    expect(again.json.created_at > first.json.created_at).toBe(true);
  });

  test('DELETE the execution → 204, everything gone, idempotent; other executions untouched', async () => {
    const exec = newExecutionId('delete-exec');
    const other = newExecutionId('delete-exec-other');
    const batch = await ctx.call('POST', variablesPath(exec), {
      variables: Array.from({ length: 30 }, (_, i) => ({ variable_name: `v${i}`, value: i, source_step_index: i % 4 })),
    });
    expectStatus(batch, 200);
    expectStatus(await putVariable(ctx.call, exec, 'big', stringOfJsonBytes(600_000)), 201);
    expectStatus(await putVariable(ctx.call, other, 'v0', 'survivor'), 201);

    const deleted = await ctx.call('DELETE', executionPath(exec));
    expectStatus(deleted, 204);
    expect(deleted.text).toBe('');
    for (const name of ['v0', 'v17', 'v29', 'big']) await expectAbsent(ctx.call, exec, name);
    const list = await ctx.call('GET', variablesPath(exec));
    expectStatus(list, 200);
    expect(list.json).toEqual({ execution_id: exec, variables: [], count: 0, next_cursor: null });
    const summary = await ctx.call('GET', executionPath(exec));
    expectStatus(summary, 200);
    expect(summary.json.variables_count).toBe(0);
    expect(summary.json.variables).toEqual([]);

    expectStatus(await ctx.call('DELETE', executionPath(exec)), 204);
    expectStatus(await ctx.call('DELETE', executionPath(newExecutionId('never-existed'))), 204);
    expect((await ctx.call('GET', variablePath(other, 'v0'))).json.value).toBe('survivor');

    const recreated = await putVariable(ctx.call, exec, 'v0', 'new');
    expectStatus(recreated, 201);
    expect(recreated.json.version).toBe(1);
  });
});

describe('GET the execution', () => {
  test('an unknown execution answers 200 with zeros and empty lists', async () => {
    const exec = newExecutionId('exec-unknown');
    const response = await ctx.call('GET', executionPath(exec));
    expectStatus(response, 200);
    expect(response.json).toEqual({
      execution_id: exec,
      variables_count: 0,
      references_count: 0,
      failed_references_count: 0,
      variables: [],
      recent_references: [],
    });
  });

  test('summarises variables in list order', async () => {
    const exec = newExecutionId('exec-summary');
    expectStatus(await putVariable(ctx.call, exec, 'late', [1, 2], { source_step_index: 5 }), 201);
    await sleep(3);
    expectStatus(await putVariable(ctx.call, exec, 'early', { a: 1 }, { source_step_index: 1 }), 201);
    await sleep(3);
    const lastWrite = await putVariable(ctx.call, exec, 'middle', null, { source_step_index: 3 });
    const response = await ctx.call('GET', executionPath(exec));
    expectStatus(response, 200);
    expect(response.json.execution_id).toBe(exec);
    expect(response.json.variables_count).toBe(3);
    expect(response.json.references_count).toBe(0);
    expect(response.json.failed_references_count).toBe(0);
    expect(response.json.recent_references).toEqual([]);
    expect(response.json.variables.map((v: any) => [v.name, v.data_type, v.source_step_index, v.usage_count])).toEqual([
      ['early', 'object', 1, 0],
      ['middle', 'null', 3, 0],
      ['late', 'array', 5, 0],
    ]);
    for (const item of response.json.variables) {
      expect(Object.keys(item).sort()).toEqual(['data_type', 'last_updated', 'name', 'source_step_index', 'usage_count']);
      expect(item.last_updated).toMatch(ISO_MS);
    }
    expect(response.json.variables[1].last_updated).toBe(lastWrite.json.updated_at);
  });
});

describe('read-your-writes', () => {
  test('each 2xx write is visible to the very next read, including list', async () => {
    const exec = newExecutionId('ryw');
    for (let i = 1; i <= 25; i += 1) {
      const write = await putVariable(ctx.call, exec, 'hot', { i }, { source_step_index: i });
      expectStatus(write, i === 1 ? 201 : 200);
      const read = await ctx.call('GET', variablePath(exec, 'hot'));
      expect(read.json.value).toEqual({ i });
      expect(read.json.version).toBe(i);
      const pages = await listAll(ctx.call, exec, 'include_values=true');
      expect(pages[0].variables[0].value).toEqual({ i });
      expect(pages[0].variables[0].version).toBe(i);
    }
  });
});

/** Depth `d` made of objects only. */
function nestedDepth(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { d: value };
  return value;
}

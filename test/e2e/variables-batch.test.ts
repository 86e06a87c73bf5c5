/**
 * POST /variables end to end (API.md §5 "Variables"): the single form (as PUT) and the batch form
 * (1..100 items, input order, all-or-nothing validation with details.items).
 */
import {
  etagVersion,
  expectAbsent,
  expectError,
  expectMetadata,
  expectSameString,
  expectStatus,
  jsonBytes,
  MIB,
  newExecutionId,
  putVariable,
  stringOfJsonBytes,
  useServer,
  variablePath,
  variablesPath,
} from './support';

const ctx = useServer();

const item = (variable_name: string, value: unknown = 1, extra: Record<string, unknown> = {}) => ({
  variable_name,
  value,
  source_step_index: 0,
  ...extra,
});

describe('POST single', () => {
  test('create → 201 with metadata and ETag; overwrite → 200 with the next version', async () => {
    const exec = newExecutionId('post-single');
    const created = await ctx.call(
      'POST',
      variablesPath(exec),
      item('user', { id: 7 }, { source_step_index: 2, source_api_method: 'aiQuery', source_api_params: { q: 'user' } }),
    );
    expectStatus(created, 201);
    expectMetadata(created.json, {
      execution_id: exec,
      variable_name: 'user',
      data_type: 'object',
      source_step_index: 2,
      source_api_method: 'aiQuery',
      version: 1,
      size_bytes: 8,
      sensitive: false,
    });
    expect(etagVersion(created)).toBe(1);
    const overwritten = await ctx.call('POST', variablesPath(exec), item('user', [1], { source_step_index: 3 }));
    expectStatus(overwritten, 200);
    expectMetadata(overwritten.json, { version: 2, data_type: 'array', source_step_index: 3 });
    expect(overwritten.json.created_at).toBe(created.json.created_at);
    expect(etagVersion(overwritten)).toBe(2);
    const read = await ctx.call('GET', variablePath(exec, 'user'));
    expect(read.json.value).toEqual([1]);
    const viaPut = await putVariable(ctx.call, exec, 'user', 'put');
    expectStatus(viaPut, 200);
    expect(viaPut.json.version).toBe(3);
  });

  test('null value and sensitive flag work as with PUT', async () => {
    const exec = newExecutionId('post-single-null');
    const created = await ctx.call('POST', variablesPath(exec), item('nothing', null, { sensitive: true }));
    expectStatus(created, 201);
    expect(created.json.data_type).toBe('null');
    expect(created.json.sensitive).toBe(true);
    const read = await ctx.call('GET', variablePath(exec, 'nothing'));
    expectStatus(read, 200);
    expect(read.json.value).toBeNull();
  });

  test('If-Match applies as with PUT', async () => {
    const exec = newExecutionId('post-single-if-match');
    expectStatus(await ctx.call('POST', variablesPath(exec), item('g', 1)), 201);
    expectStatus(await ctx.call('POST', variablesPath(exec), item('g', 2), { 'If-Match': '"1"' }), 200);
    expectError(await ctx.call('POST', variablesPath(exec), item('g', 3), { 'If-Match': '1' }), 'VERSION_MISMATCH');
    const read = await ctx.call('GET', variablePath(exec, 'g'));
    expect(read.json.value).toBe(2);
    expect(read.json.version).toBe(2);
  });

  test('validation as PUT: missing value, bad step, too large, stores nothing', async () => {
    const exec = newExecutionId('post-single-invalid');
    expectError(await ctx.call('POST', variablesPath(exec), { variable_name: 'a', source_step_index: 0 }), 'INVALID_REQUEST');
    expectError(await ctx.call('POST', variablesPath(exec), item('b', 1, { source_step_index: -1 })), 'INVALID_STEP_INDEX');
    expectError(await ctx.call('POST', variablesPath(exec), item('c', stringOfJsonBytes(MIB + 1))), 'VALUE_TOO_LARGE');
    for (const name of ['a', 'b', 'c']) await expectAbsent(ctx.call, exec, name);
  });
});

describe('POST batch', () => {
  test('200 {results, count} in input order, creating and overwriting', async () => {
    const exec = newExecutionId('batch-ok');
    expectStatus(await putVariable(ctx.call, exec, 'existing', 'old', { source_step_index: 1 }), 201);
    const variables = [
      item('zeta', 'z', { source_step_index: 5, source_api_method: 'aiString' }),
      item('alpha', { k: [1, 2] }, { source_step_index: 1, source_api_params: { q: 'a' } }),
      item('existing', 'new', { source_step_index: 2 }),
      item('secret', 'pw', { sensitive: true }),
      item('nothing', null),
    ];
    const response = await ctx.call('POST', variablesPath(exec), { variables });
    expectStatus(response, 200);
    expect(Object.keys(response.json).sort()).toEqual(['count', 'results']);
    expect(response.json.count).toBe(5);
    expect(response.json.results.map((r: any) => r.variable_name)).toEqual(['zeta', 'alpha', 'existing', 'secret', 'nothing']);
    for (const result of response.json.results) expectMetadata(result, { execution_id: exec });
    expect(response.json.results.map((r: any) => r.version)).toEqual([1, 1, 2, 1, 1]);
    expect(response.json.results.map((r: any) => r.data_type)).toEqual(['string', 'object', 'string', 'string', 'null']);
    expect(response.json.results.map((r: any) => r.size_bytes)).toEqual(variables.map((v) => jsonBytes(v.value)));
    expect(response.json.results[3].sensitive).toBe(true);
    expect(response.json.results[0].source_api_method).toBe('aiString');
    expect(response.text).not.toContain('"pw"');

    for (const variable of variables) {
      const read = await ctx.call('GET', variablePath(exec, variable.variable_name));
      expectStatus(read, 200);
      expect(read.json.value).toEqual(variable.value);
      expect(read.json.source_step_index).toBe(variable.source_step_index);
    }
    expect((await ctx.call('GET', variablePath(exec, 'alpha'))).json.source_api_params).toEqual({ q: 'a' });
  });

  test('one item and 100 items are accepted', async () => {
    const exec = newExecutionId('batch-bounds');
    const one = await ctx.call('POST', variablesPath(exec), { variables: [item('only')] });
    expectStatus(one, 200);
    expect(one.json.count).toBe(1);
    const hundred = await ctx.call('POST', variablesPath(exec), {
      variables: Array.from({ length: 100 }, (_, i) => item(`v${i}`, i, { source_step_index: i })),
    });
    expectStatus(hundred, 200);
    expect(hundred.json.count).toBe(100);
    expect(hundred.json.results.map((r: any) => r.variable_name)).toEqual(Array.from({ length: 100 }, (_, i) => `v${i}`));
    const list = await ctx.call('GET', `${variablesPath(exec)}?limit=1000`);
    expect(list.json.count).toBe(101);
  });

  test('0 items → 400 INVALID_REQUEST', async () => {
    const exec = newExecutionId('batch-empty');
    expectError(await ctx.call('POST', variablesPath(exec), { variables: [] }), 'INVALID_REQUEST');
  });

  test('101 items → 400 INVALID_REQUEST and nothing stored', async () => {
    const exec = newExecutionId('batch-101');
    const response = await ctx.call('POST', variablesPath(exec), { variables: Array.from({ length: 101 }, (_, i) => item(`v${i}`, i)) });
    expect(expectError(response, 'INVALID_REQUEST').message).toContain('variables');
    await expectAbsent(ctx.call, exec, 'v0');
    expect((await ctx.call('GET', variablesPath(exec))).json.count).toBe(0);
  });

  test('variables that is not an array → 400 INVALID_REQUEST', async () => {
    const exec = newExecutionId('batch-not-array');
    for (const variables of [{}, 'x', null, 3, { 0: item('a') }]) {
      expectError(await ctx.call('POST', variablesPath(exec), { variables }), 'INVALID_REQUEST');
    }
    await expectAbsent(ctx.call, exec, 'a');
  });

  test('one invalid item → 400 INVALID_REQUEST with details.items and nothing stored', async () => {
    const exec = newExecutionId('batch-one-bad');
    const response = await ctx.call('POST', variablesPath(exec), { variables: [item('good_a'), item('bad-name'), item('good_b')] });
    const error = expectError(response, 'INVALID_REQUEST');
    expect(error.details.items).toHaveLength(1);
    expect(Object.keys(error.details.items[0])).toEqual(expect.arrayContaining(['code', 'index', 'message']));
    expect(error.details.items[0].index).toBe(1);
    expect(error.details.items[0].code).toBe('INVALID_VARIABLE_NAME');
    expect(error.details.items[0].message).toContain('bad-name');
    for (const name of ['good_a', 'good_b']) await expectAbsent(ctx.call, exec, name);
  });

  test('several invalid items are each listed with their index and code', async () => {
    const exec = newExecutionId('batch-many-bad');
    const response = await ctx.call('POST', variablesPath(exec), {
      variables: [
        item('bad_step', 1, { source_step_index: -1 }),
        item('fine'),
        { variable_name: 'no_value', source_step_index: 0 },
        item('long_method', 1, { source_api_method: 'x'.repeat(101) }),
        item('1bad'),
        'not an object',
      ],
    });
    const error = expectError(response, 'INVALID_REQUEST');
    const byIndex = Object.fromEntries(error.details.items.map((entry: any) => [entry.index, entry.code]));
    expect(byIndex[0]).toBe('INVALID_STEP_INDEX');
    expect(byIndex[1]).toBeUndefined();
    expect(byIndex[2]).toBe('INVALID_REQUEST');
    expect(byIndex[3]).toBe('INVALID_REQUEST');
    expect(byIndex[4]).toBe('INVALID_VARIABLE_NAME');
    expect(byIndex[5]).toBe('INVALID_REQUEST');
    const messages = Object.fromEntries(error.details.items.map((entry: any) => [entry.index, entry.message]));
    expect(messages[0]).toContain('source_step_index');
    expect(messages[2]).toContain('value');
    expect(messages[3]).toContain('source_api_method');
    expect(messages[4]).toContain('1bad');
    for (const name of ['bad_step', 'fine', 'no_value', 'long_method']) await expectAbsent(ctx.call, exec, name);
  });

  test('a failed batch leaves existing variables exactly as they were', async () => {
    const exec = newExecutionId('batch-existing');
    expectStatus(await putVariable(ctx.call, exec, 'keep', 'original'), 201);
    const response = await ctx.call('POST', variablesPath(exec), {
      variables: [item('keep', 'changed'), item('oops', 1, { source_step_index: 1.5 })],
    });
    expectError(response, 'INVALID_REQUEST');
    const read = await ctx.call('GET', variablePath(exec, 'keep'));
    expect(read.json.value).toBe('original');
    expect(read.json.version).toBe(1);
  });

  test('duplicate names → 400 INVALID_REQUEST and nothing stored', async () => {
    const exec = newExecutionId('batch-dup');
    const response = await ctx.call('POST', variablesPath(exec), { variables: [item('a', 1), item('b', 2), item('a', 3)] });
    const error = expectError(response, 'INVALID_REQUEST');
    expect(JSON.stringify(error)).toContain('a');
    await expectAbsent(ctx.call, exec, 'a');
    await expectAbsent(ctx.call, exec, 'b');
  });

  test('names that differ only by prototype-looking spelling are distinct, not duplicates', async () => {
    const exec = newExecutionId('batch-proto');
    const response = await ctx.call('POST', variablesPath(exec), {
      variables: [item('__proto__', 1), item('constructor', 2), item('toString', 3), item('Constructor', 4)],
    });
    expectStatus(response, 200);
    expect(response.json.count).toBe(4);
    const dup = await ctx.call('POST', variablesPath(exec), { variables: [item('__proto__', 5), item('__proto__', 6)] });
    expectError(dup, 'INVALID_REQUEST');
    expect((await ctx.call('GET', variablePath(exec, '__proto__'))).json.value).toBe(1);
  });

  test('an oversized item is listed with code VALUE_TOO_LARGE; the batch is 400 and nothing stored', async () => {
    const exec = newExecutionId('batch-big');
    const response = await ctx.call('POST', variablesPath(exec), {
      variables: [item('small', 'x'), item('huge', stringOfJsonBytes(MIB + 1, '中'))],
    });
    const error = expectError(response, 'INVALID_REQUEST', 400);
    expect(error.details.items).toEqual([
      expect.objectContaining({ index: 1, code: 'VALUE_TOO_LARGE', message: expect.stringContaining("variable 'huge'") }),
    ]);
    await expectAbsent(ctx.call, exec, 'small');
    await expectAbsent(ctx.call, exec, 'huge');
  });

  test('an item with an overflowing number or depth 65 fails the whole batch', async () => {
    const exec = newExecutionId('batch-number');
    const overflow = await ctx.call(
      'POST',
      variablesPath(exec),
      `{"variables": [{"variable_name": "ok", "value": 1, "source_step_index": 0}, {"variable_name": ` +
        `"inf", "value": 1e400, "source_step_index": 0}]}`,
    );
    expectError(overflow, 'INVALID_REQUEST');
    let deep: unknown = 0;
    for (let i = 0; i < 65; i += 1) deep = [deep];
    const tooDeep = await ctx.call('POST', variablesPath(exec), { variables: [item('ok'), item('deep', deep)] });
    const error = expectError(tooDeep, 'INVALID_REQUEST');
    expect(error.details.items).toEqual([expect.objectContaining({ index: 1, code: 'INVALID_REQUEST' })]);
    await expectAbsent(ctx.call, exec, 'ok');
    await expectAbsent(ctx.call, exec, 'deep');
  });

  test('two items of 900 kB each (body under 2 MiB) are stored and round-trip exactly', async () => {
    const exec = newExecutionId('batch-large-ok');
    const a = stringOfJsonBytes(900_000, 'a');
    const b = stringOfJsonBytes(900_000, 'é');
    const response = await ctx.call('POST', variablesPath(exec), { variables: [item('a', a), item('b', b)] });
    expectStatus(response, 200);
    expect(response.json.results.map((r: any) => r.size_bytes)).toEqual([900_000, 900_000]);
    expectSameString((await ctx.call('GET', variablePath(exec, 'a'))).json.value, a);
    expectSameString((await ctx.call('GET', variablePath(exec, 'b'))).json.value, b);
  });

  test('a batch body over 2 MiB → 413 PAYLOAD_TOO_LARGE and nothing stored', async () => {
    const exec = newExecutionId('batch-too-big');
    const value = stringOfJsonBytes(800_000);
    const response = await ctx.call('POST', variablesPath(exec), { variables: [item('a', value), item('b', value), item('c', value)] });
    expectError(response, 'PAYLOAD_TOO_LARGE');
    for (const name of ['a', 'b', 'c']) await expectAbsent(ctx.call, exec, name);
  });

  test('a batch into an invalid execution id → 400 INVALID_EXECUTION_ID', async () => {
    expectError(await ctx.call('POST', variablesPath('-bad'), { variables: [item('a')] }), 'INVALID_EXECUTION_ID');
  });
});

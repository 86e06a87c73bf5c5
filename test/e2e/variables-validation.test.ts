/**
 * Write validation end to end (API.md §1-§3, §5 "Variables"): identifiers, step index, body
 * fields, numbers, depth, the 1 MiB value limit. Every rejected write must store nothing.
 */
import {
  expectAbsent,
  expectError,
  expectSameString,
  expectStatus,
  jsonBytes,
  MIB,
  nestedValue,
  depthOf,
  newExecutionId,
  putVariable,
  stringOfJsonBytes,
  useServer,
  variablePath,
  variablesPath,
  executionPath,
} from './support';

const ctx = useServer();

describe('execution id', () => {
  const invalid: Array<[string, string]> = [
    ['65 characters', 'a'.repeat(65)],
    ['leading dash', '-abc'],
    ['leading underscore', '_abc'],
    ['a dot', 'a.b'],
    ['a space', 'a b'],
    ['a slash (encoded)', 'a/b'],
    ['non-ASCII', 'exéc'],
    ['a colon', 'a:b'],
  ];

  test.each(invalid)('%s → 400 INVALID_EXECUTION_ID on PUT, stores nothing', async (_label, exec) => {
    const response = await putVariable(ctx.call, exec, 'x', 1);
    const error = expectError(response, 'INVALID_EXECUTION_ID');
    expect(error.message).toContain(exec);
  });

  test('invalid execution id on GET, list, DELETE, POST and execution endpoints → 400 INVALID_EXECUTION_ID', async () => {
    const exec = 'a.b';
    expectError(await ctx.call('GET', variablePath(exec, 'x')), 'INVALID_EXECUTION_ID');
    expectError(await ctx.call('GET', variablesPath(exec)), 'INVALID_EXECUTION_ID');
    expectError(await ctx.call('DELETE', variablePath(exec, 'x')), 'INVALID_EXECUTION_ID');
    expectError(
      await ctx.call('POST', variablesPath(exec), { variable_name: 'x', value: 1, source_step_index: 0 }),
      'INVALID_EXECUTION_ID',
    );
    expectError(await ctx.call('GET', executionPath(exec)), 'INVALID_EXECUTION_ID');
    expectError(await ctx.call('DELETE', executionPath(exec)), 'INVALID_EXECUTION_ID');
  });

  test('64 characters and the allowed alphabet are accepted', async () => {
    const long = `Z${'9'.repeat(40)}_-${Date.now().toString(36)}`.padEnd(64, 'x');
    expect(long).toHaveLength(64);
    expectStatus(await putVariable(ctx.call, long, 'x', 1), 201);
    expect((await ctx.call('GET', variablePath(long, 'x'))).json.execution_id).toBe(long);
    expectStatus(await putVariable(ctx.call, `0${Date.now()}`, 'x', 1), 201);
  });
});

describe('variable name', () => {
  const invalid: Array<[string, string]> = [
    ['leading digit', '1abc'],
    ['a dash', 'a-b'],
    ['256 characters', `a${'b'.repeat(255)}`],
    ['a dot', 'a.b'],
    ['a space', 'a b'],
    ['non-ASCII', 'naïve'],
    ['a dollar', '$x'],
    ['braces', '${x}'],
  ];

  test.each(invalid)('%s → 400 INVALID_VARIABLE_NAME on PUT, stores nothing', async (_label, name) => {
    const exec = newExecutionId('name');
    const response = await putVariable(ctx.call, exec, name, 1);
    const error = expectError(response, 'INVALID_VARIABLE_NAME');
    expect(error.message).toContain(name.length > 100 ? name.slice(0, 40) : name);
    const list = await ctx.call('GET', variablesPath(exec));
    expect(list.json.variables).toEqual([]);
  });

  test('invalid name on GET and DELETE → 400 INVALID_VARIABLE_NAME (not 404)', async () => {
    const exec = newExecutionId('name-get');
    expectError(await ctx.call('GET', variablePath(exec, '1abc')), 'INVALID_VARIABLE_NAME');
    expectError(await ctx.call('DELETE', variablePath(exec, 'a-b')), 'INVALID_VARIABLE_NAME');
  });

  test('invalid or missing variable_name on POST single → 400, stores nothing', async () => {
    const exec = newExecutionId('name-post');
    const bad = await ctx.call('POST', variablesPath(exec), { variable_name: 'a-b', value: 1, source_step_index: 0 });
    expect(expectError(bad, 'INVALID_VARIABLE_NAME').message).toContain('a-b');
    const missing = await ctx.call('POST', variablesPath(exec), { value: 1, source_step_index: 0 });
    expect(missing.status).toBe(400);
    expect(['INVALID_REQUEST', 'INVALID_VARIABLE_NAME']).toContain(missing.json?.error?.code);
    expectError(missing, missing.json.error.code);
    const notString = await ctx.call('POST', variablesPath(exec), { variable_name: 12, value: 1, source_step_index: 0 });
    expect(notString.status).toBe(400);
    expect(['INVALID_REQUEST', 'INVALID_VARIABLE_NAME']).toContain(notString.json?.error?.code);
    const list = await ctx.call('GET', variablesPath(exec));
    expect(list.json.variables).toEqual([]);
  });

  test('255 characters, underscores and a leading underscore are accepted', async () => {
    const exec = newExecutionId('name-ok');
    const long = `_${'a1'.repeat(127)}`;
    expect(long).toHaveLength(255);
    for (const name of [long, '_', '__', 'A', 'camelCase_09']) {
      const response = await putVariable(ctx.call, exec, name, 1);
      expectStatus(response, 201);
      expect(response.json.variable_name).toBe(name);
      expect((await ctx.call('GET', variablePath(exec, name))).json.variable_name).toBe(name);
    }
  });

  test('names are case-sensitive', async () => {
    const exec = newExecutionId('name-case');
    expectStatus(await putVariable(ctx.call, exec, 'Name', 'upper'), 201);
    expectStatus(await putVariable(ctx.call, exec, 'name', 'lower'), 201);
    expect((await ctx.call('GET', variablePath(exec, 'Name'))).json.value).toBe('upper');
    expect((await ctx.call('GET', variablePath(exec, 'name'))).json.value).toBe('lower');
  });
});

describe('source_step_index', () => {
  const invalid: Array<[string, unknown]> = [
    ['-1', -1],
    ['100001', 100001],
    ['1.5', 1.5],
    ['"3"', '3'],
    ['null', null],
    ['true', true],
    ['an object', { i: 1 }],
    ['a huge number', 1e300],
  ];

  test.each(invalid)('%s → 400 INVALID_STEP_INDEX, stores nothing', async (label, step) => {
    const exec = newExecutionId('step');
    const response = await putVariable(ctx.call, exec, 'x', 1, { source_step_index: step });
    const error = expectError(response, 'INVALID_STEP_INDEX');
    expect(error.message).toContain('source_step_index');
    await expectAbsent(ctx.call, exec, 'x');
    void label;
  });

  test('missing → 400 (INVALID_STEP_INDEX or INVALID_REQUEST naming source_step_index), stores nothing', async () => {
    const exec = newExecutionId('step-missing');
    const response = await ctx.call('PUT', variablePath(exec, 'x'), { value: 1 });
    expect(response.status).toBe(400);
    expect(['INVALID_STEP_INDEX', 'INVALID_REQUEST']).toContain(response.json?.error?.code);
    expect(expectError(response, response.json.error.code).message).toContain('source_step_index');
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('an invalid step on overwrite leaves the stored variable unchanged', async () => {
    const exec = newExecutionId('step-overwrite');
    expectStatus(await putVariable(ctx.call, exec, 'x', 'kept', { source_step_index: 2 }), 201);
    expectError(await putVariable(ctx.call, exec, 'x', 'lost', { source_step_index: -1 }), 'INVALID_STEP_INDEX');
    const read = await ctx.call('GET', variablePath(exec, 'x'));
    expect(read.json.value).toBe('kept');
    expect(read.json.version).toBe(1);
    expect(read.json.source_step_index).toBe(2);
  });
});

describe('body fields', () => {
  test('missing value → 400 INVALID_REQUEST naming value, stores nothing', async () => {
    const exec = newExecutionId('no-value');
    const response = await ctx.call('PUT', variablePath(exec, 'x'), { source_step_index: 0 });
    expect(expectError(response, 'INVALID_REQUEST').message).toContain('value');
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('source_api_method over 100 characters or not a string → 400 INVALID_REQUEST naming it', async () => {
    const exec = newExecutionId('method');
    for (const method of ['m'.repeat(101), 42, ['aiQuery'], { m: 1 }]) {
      const response = await putVariable(ctx.call, exec, 'x', 1, { source_api_method: method });
      expect(expectError(response, 'INVALID_REQUEST').message).toContain('source_api_method');
      await expectAbsent(ctx.call, exec, 'x');
    }
  });

  test('source_api_params that is not an object → 400 INVALID_REQUEST naming it', async () => {
    const exec = newExecutionId('params');
    for (const params of ['text', 5, [1, 2], true]) {
      const response = await putVariable(ctx.call, exec, 'x', 1, { source_api_params: params });
      expect(expectError(response, 'INVALID_REQUEST').message).toContain('source_api_params');
      await expectAbsent(ctx.call, exec, 'x');
    }
  });

  test('sensitive that is not a boolean → 400 INVALID_REQUEST naming it', async () => {
    const exec = newExecutionId('sensitive');
    for (const sensitive of ['true', 1, 'yes', {}]) {
      const response = await putVariable(ctx.call, exec, 'x', 'secret', { sensitive });
      expect(expectError(response, 'INVALID_REQUEST').message).toContain('sensitive');
      await expectAbsent(ctx.call, exec, 'x');
    }
  });

  test('a body that is not a JSON object → 400 INVALID_REQUEST', async () => {
    const exec = newExecutionId('not-object');
    for (const body of ['[]', '"text"', '5', 'null', 'true', '[{"value":1,"source_step_index":0}]']) {
      const response = await ctx.call('PUT', variablePath(exec, 'x'), body);
      expectError(response, 'INVALID_REQUEST');
      await expectAbsent(ctx.call, exec, 'x');
    }
  });

  test('an empty body → 400, stores nothing', async () => {
    const exec = newExecutionId('empty-body');
    const response = await ctx.call('PUT', variablePath(exec, 'x'), '', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(['INVALID_JSON', 'INVALID_REQUEST']).toContain(response.json?.error?.code);
    expectError(response, response.json.error.code);
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('malformed JSON → 400 INVALID_JSON, stores nothing', async () => {
    const exec = newExecutionId('malformed');
    for (const body of [
      '{"value":',
      '{"value": 1, "source_step_index": 0',
      "{'value': 1, 'source_step_index': 0}",
      '{"value": 1, "source_step_index": 0} trailing',
      '{"value": NaN, "source_step_index": 0}',
      '{"value": undefined, "source_step_index": 0}',
      '{"value": 01, "source_step_index": 0}',
      '{value: 1}',
    ]) {
      const response = await ctx.call('PUT', variablePath(exec, 'x'), body);
      expectError(response, 'INVALID_JSON');
      await expectAbsent(ctx.call, exec, 'x');
    }
  });
});

describe('numbers', () => {
  test('a literal that overflows to infinity → 400 INVALID_REQUEST, stores nothing', async () => {
    const exec = newExecutionId('overflow');
    for (const valueText of ['1e400', '-1e400', '{"a": [1, 2e999]}', '[1.8e308]']) {
      const response = await ctx.call('PUT', variablePath(exec, 'x'), `{"value": ${valueText}, "source_step_index": 0}`);
      expectError(response, 'INVALID_REQUEST');
      await expectAbsent(ctx.call, exec, 'x');
    }
  });

  test('an overflowing literal in any field, known or not, is INVALID_REQUEST naming the field', async () => {
    const exec = newExecutionId('overflow-fields');
    for (const [field, body] of [
      ['source_step_index', '{"value": 1, "source_step_index": 1e400}'],
      ['source_api_params', '{"value": 1, "source_step_index": 0, "source_api_params": {"n": [-1e400]}}'],
      ['extra', '{"value": 1, "source_step_index": 0, "extra": 1e400}'],
    ]) {
      const response = await ctx.call('PUT', variablePath(exec, 'x'), body);
      const error = expectError(response, 'INVALID_REQUEST');
      expect({ field, message: error.message }).toEqual({ field, message: expect.stringContaining(`'${field}'`) });
      await expectAbsent(ctx.call, exec, 'x');
    }
    const validate = await ctx.call(
      'POST',
      `/api/v1/executions/${exec}/variables/validate`,
      '{"references": ["${x}"], "step_index": 1e400}',
    );
    expectError(validate, 'INVALID_REQUEST');
  });

  test("an out-of-range step index says the rule, not the validator's internals", async () => {
    const exec = newExecutionId('step-range');
    for (const step of ['1e20', '100001', '-1', '1.5']) {
      const error = expectError(
        await ctx.call('PUT', variablePath(exec, 'x'), `{"value": 1, "source_step_index": ${step}}`),
        'INVALID_STEP_INDEX',
      );
      expect(error.message).toContain('source_step_index');
      expect(error.message).toContain('0 to 100000');
    }
  });

  test('an overflowing number never overwrites a stored value', async () => {
    const exec = newExecutionId('overflow-overwrite');
    expectStatus(await putVariable(ctx.call, exec, 'x', 7), 201);
    expectError(await ctx.call('PUT', variablePath(exec, 'x'), '{"value": 1e400, "source_step_index": 0}'), 'INVALID_REQUEST');
    const read = await ctx.call('GET', variablePath(exec, 'x'));
    expect(read.json.value).toBe(7);
    expect(read.json.version).toBe(1);
  });

  test('underflow to zero and the largest double are fine', async () => {
    const exec = newExecutionId('underflow');
    const response = await ctx.call('PUT', variablePath(exec, 'x'), '{"value": [1e-400, 1.7976931348623157e308], "source_step_index": 0}');
    expectStatus(response, 201);
    expect((await ctx.call('GET', variablePath(exec, 'x'))).json.value).toEqual([0, 1.7976931348623157e308]);
  });
});

describe('nesting depth', () => {
  test('depth 64 round-trips, depth 65 → 400 INVALID_REQUEST and stores nothing', async () => {
    const exec = newExecutionId('depth');
    const ok = nestedValue(64);
    expect(depthOf(ok)).toBe(64);
    expectStatus(await putVariable(ctx.call, exec, 'ok', ok), 201);
    expect((await ctx.call('GET', variablePath(exec, 'ok'))).json.value).toEqual(ok);

    const tooDeep = nestedValue(65);
    expect(depthOf(tooDeep)).toBe(65);
    expectError(await putVariable(ctx.call, exec, 'too_deep', tooDeep), 'INVALID_REQUEST');
    await expectAbsent(ctx.call, exec, 'too_deep');
  });

  test('depth counts the deepest member, not the first: 65 deep in a later branch is rejected', async () => {
    const exec = newExecutionId('depth-branch');
    const value = { shallow: 1, also: [1, 2], deep: nestedValue(64) };
    expect(depthOf(value)).toBe(65);
    expectError(await putVariable(ctx.call, exec, 'x', value), 'INVALID_REQUEST');
    await expectAbsent(ctx.call, exec, 'x');
    const arrays = JSON.parse(`${'['.repeat(64)}${']'.repeat(64)}`);
    expect(depthOf(arrays)).toBe(64);
    expectStatus(await putVariable(ctx.call, exec, 'arrays', arrays), 201);
    const tooMany = `${'['.repeat(65)}${']'.repeat(65)}`;
    expectError(await ctx.call('PUT', variablePath(exec, 'arrays65'), `{"value": ${tooMany}, "source_step_index": 0}`), 'INVALID_REQUEST');
    await expectAbsent(ctx.call, exec, 'arrays65');
  });

  test('an absurdly deep value (10000) is a clean 400, not a crash', async () => {
    const exec = newExecutionId('depth-huge');
    const text = `${'['.repeat(10000)}${']'.repeat(10000)}`;
    const response = await ctx.call('PUT', variablePath(exec, 'x'), `{"value": ${text}, "source_step_index": 0}`);
    expectError(response, 'INVALID_REQUEST');
    await expectAbsent(ctx.call, exec, 'x');
    expectStatus(await ctx.call('GET', '/api/health'), 200);
  });
});

describe('the 1 MiB value limit (inclusive)', () => {
  const units: Array<[string, string]> = [
    ['ASCII', 'a'],
    ['3-byte', '中'],
    ['4-byte', '😀'],
    ['2-byte', 'é'],
    ['escaped newline', '\n'],
  ];

  test.each(units)('%s: exactly 1,048,576 bytes accepted and round-trips; one byte more → 413 VALUE_TOO_LARGE', async (_label, unit) => {
    const exec = newExecutionId('limit');
    const exact = stringOfJsonBytes(MIB, unit);
    const created = await putVariable(ctx.call, exec, 'exact', exact);
    expectStatus(created, 201);
    expect(created.json.size_bytes).toBe(MIB);
    const read = await ctx.call('GET', variablePath(exec, 'exact'));
    expectSameString(read.json.value, exact);
    expect(read.json.size_bytes).toBe(MIB);

    const over = stringOfJsonBytes(MIB + 1, unit);
    const rejected = await putVariable(ctx.call, exec, 'over', over);
    const error = expectError(rejected, 'VALUE_TOO_LARGE');
    // §2: the message names the offending token, here the variable and its field.
    expect(error.message).toContain("'over'");
    expect(error.message).toContain("'value'");
    await expectAbsent(ctx.call, exec, 'over');
  });

  test('escapes count as their JSON bytes: 524,287 newlines fit, 524,288 do not', async () => {
    const exec = newExecutionId('limit-escapes');
    const fits = '\n'.repeat(524_287);
    expect(jsonBytes(fits)).toBe(MIB);
    expectStatus(await putVariable(ctx.call, exec, 'fits', fits), 201);
    expectError(await putVariable(ctx.call, exec, 'too_big', '\n'.repeat(524_288)), 'VALUE_TOO_LARGE');
    await expectAbsent(ctx.call, exec, 'too_big');
    const controls = '\u0001'.repeat(174_763);
    expect(jsonBytes(controls)).toBe(6 * 174_763 + 2);
    expectError(await putVariable(ctx.call, exec, 'controls', controls), 'VALUE_TOO_LARGE');
    await expectAbsent(ctx.call, exec, 'controls');
  });

  test('objects and arrays are measured as compact JSON, not as sent', async () => {
    const exec = newExecutionId('limit-object');
    const object = { key: stringOfJsonBytes(MIB - '{"key":}'.length) };
    expect(jsonBytes(object)).toBe(MIB);
    const pretty = JSON.stringify({ value: object, source_step_index: 0 }, null, 8).replace('"key":', '"key":          ');
    const created = await ctx.call('PUT', variablePath(exec, 'obj'), pretty);
    expectStatus(created, 201);
    expect(created.json.size_bytes).toBe(MIB);
    const array = [stringOfJsonBytes(MIB - 3, '中'), 1];
    expect(jsonBytes(array)).toBe(MIB + 1);
    expectError(await putVariable(ctx.call, exec, 'arr', array), 'VALUE_TOO_LARGE');
    await expectAbsent(ctx.call, exec, 'arr');
  });

  test('a too-large overwrite leaves the stored variable unchanged', async () => {
    const exec = newExecutionId('limit-overwrite');
    expectStatus(await putVariable(ctx.call, exec, 'x', 'small'), 201);
    expectError(await putVariable(ctx.call, exec, 'x', stringOfJsonBytes(MIB + 1)), 'VALUE_TOO_LARGE');
    const read = await ctx.call('GET', variablePath(exec, 'x'));
    expect(read.json.value).toBe('small');
    expect(read.json.version).toBe(1);
  });
});

describe('the error message names the offending token', () => {
  test('each validation error mentions its token in English', async () => {
    const exec = newExecutionId('tokens');
    expect(expectError(await putVariable(ctx.call, exec, 'bad-name', 1), 'INVALID_VARIABLE_NAME').message).toContain('bad-name');
    expect(expectError(await putVariable(ctx.call, 'bad.exec', 'x', 1), 'INVALID_EXECUTION_ID').message).toContain('bad.exec');
    expect(expectError(await putVariable(ctx.call, exec, 'x', 1, { source_step_index: 100001 }), 'INVALID_STEP_INDEX').message).toContain(
      'source_step_index',
    );
    const notFound = expectError(await ctx.call('GET', variablePath(exec, 'user_nme')), 'VARIABLE_NOT_FOUND');
    expect(notFound.message).toContain('user_nme');
    expect(notFound.message).toContain(exec);
  });
});

/**
 * GET /variables/{name}/properties end to end (API.md §5 "Smart hints"): nested properties up to
 * max_depth (default 3, clamped to 1..5), arrays not expanded, empty nested lists omitted,
 * non-objects, 404, 400 for non-integer max_depth, masking of sensitive values.
 */
import {
  expectBadRequest,
  expectError,
  expectStatus,
  newExecutionId,
  propertiesPath,
  seed,
  useServer,
  variablePath,
} from './hints-support';

const ctx = useServer();

async function properties(exec: string, name: string, query = ''): Promise<any> {
  const response = await ctx.call('GET', `${propertiesPath(exec, name)}${query ? `?${query}` : ''}`);
  expectStatus(response, 200);
  expect(Object.keys(response.json).sort()).toEqual(['data_type', 'properties', 'variable_name']);
  expect(response.json.variable_name).toBe(name);
  return response.json;
}

/** A chain {l1: {l2: {… {l<n>: 'leaf'}}}}. */
function chain(levels: number): Record<string, unknown> {
  let value: unknown = 'leaf';
  for (let level = levels; level >= 1; level -= 1) value = { [`l${level}`]: value };
  return value as Record<string, unknown>;
}

/** The paths of every entry, depth first, and the depth at which nesting stops. */
function paths(list: any[]): string[] {
  return list.flatMap((entry) => [entry.path, ...(entry.properties ? paths(entry.properties) : [])]);
}

describe('GET /variables/{name}/properties', () => {
  test('default max_depth 3: nested properties for object values, arrays not expanded, empty lists omitted', async () => {
    const exec = newExecutionId('props-default');
    const value = { a: { b: { c: { d: 1 } }, e: [1, { f: 2 }], g: {} }, x: 1, arr: [{ k: 1 }], empty: {}, nil: null };
    await seed(ctx.call, exec, [{ name: 'rec', value }]);
    const body = await properties(exec, 'rec');
    expect(body.data_type).toBe('object');
    expect(body.properties).toEqual([
      {
        name: 'a',
        type: 'object',
        value: value.a,
        path: 'rec.a',
        properties: [
          {
            name: 'b',
            type: 'object',
            value: value.a.b,
            path: 'rec.a.b',
            properties: [{ name: 'c', type: 'object', value: { d: 1 }, path: 'rec.a.b.c' }],
          },
          { name: 'e', type: 'array', value: [1, { f: 2 }], path: 'rec.a.e' },
          { name: 'g', type: 'object', value: {}, path: 'rec.a.g' },
        ],
      },
      { name: 'x', type: 'number', value: 1, path: 'rec.x' },
      { name: 'arr', type: 'array', value: [{ k: 1 }], path: 'rec.arr' },
      { name: 'empty', type: 'object', value: {}, path: 'rec.empty' },
      { name: 'nil', type: 'null', value: null, path: 'rec.nil' },
    ]);
    // Entry key order: name, type, value, path (+ properties).
    expect(Object.keys(body.properties[1])).toEqual(['name', 'type', 'value', 'path']);
    expect('properties' in body.properties[3]).toBe(false);
    expect('properties' in body.properties[0].properties[2]).toBe(false);
  });

  test('max_depth 1..5, clamped: 0 → 1, -2 → 1, 9 → 5', async () => {
    const exec = newExecutionId('props-depth');
    await seed(ctx.call, exec, [{ name: 'deep', value: chain(8) }]);
    const expected = (depth: number) =>
      Array.from({ length: depth }, (_, i) => `deep.${Array.from({ length: i + 1 }, (_, j) => `l${j + 1}`).join('.')}`);
    for (const [query, depth] of [
      ['max_depth=1', 1],
      ['max_depth=2', 2],
      ['', 3],
      ['max_depth=3', 3],
      ['max_depth=4', 4],
      ['max_depth=5', 5],
      ['max_depth=0', 1],
      ['max_depth=-2', 1],
      ['max_depth=9', 5],
      ['max_depth=100', 5],
    ] as Array<[string, number]>) {
      const body = await properties(exec, 'deep', query);
      expect({ query, paths: paths(body.properties) }).toEqual({ query, paths: expected(depth) });
    }
  });

  test('a max_depth that is not an integer → 400 INVALID_REQUEST', async () => {
    const exec = newExecutionId('props-bad-depth');
    await seed(ctx.call, exec, [{ name: 'rec', value: { a: 1 } }]);
    for (const raw of ['abc', '1.5', '2x', '']) {
      if (raw === '') continue;
      expectBadRequest(await ctx.call('GET', `${propertiesPath(exec, 'rec')}?max_depth=${encodeURIComponent(raw)}`));
    }
  });

  test('non-objects give []', async () => {
    const exec = newExecutionId('props-scalars');
    const cases: Array<[string, unknown, string]> = [
      ['s', 'text', 'string'],
      ['n', 5, 'number'],
      ['b', false, 'boolean'],
      ['z', null, 'null'],
      ['list', [{ a: 1 }, 2], 'array'],
      ['o', {}, 'object'],
    ];
    await seed(
      ctx.call,
      exec,
      cases.map(([name, value]) => ({ name, value })),
    );
    for (const [name, , type] of cases) {
      const body = await properties(exec, name);
      expect({ name, body }).toEqual({ name, body: { variable_name: name, data_type: type, properties: [] } });
    }
  });

  test('a missing variable → 404 VARIABLE_NOT_FOUND; a bad name → 400', async () => {
    const exec = newExecutionId('props-missing');
    await seed(ctx.call, exec, [{ name: 'present', value: { a: 1 } }]);
    const error = expectError(await ctx.call('GET', propertiesPath(exec, 'absent')), 'VARIABLE_NOT_FOUND');
    expect(error.message).toContain('absent');
    expectError(await ctx.call('GET', propertiesPath(newExecutionId('props-none'), 'present')), 'VARIABLE_NOT_FOUND');
    expectError(await ctx.call('GET', propertiesPath(exec, '1bad')), 'INVALID_VARIABLE_NAME');
  });

  test('prototype-looking keys and names are plain data', async () => {
    const exec = newExecutionId('props-proto');
    const raw = '{"zeta":1,"__proto__":{"polluted":true},"constructor":{"name":"c"},"toString":"t","商品名称":"手机"}';
    expectStatus(await ctx.call('PUT', variablePath(exec, 'constructor'), `{"value":${raw},"source_step_index":0}`), 201);
    const response = await ctx.call('GET', propertiesPath(exec, 'constructor'));
    expectStatus(response, 200);
    const order = [...response.text.matchAll(/"path":"constructor\.([^"]*)"/g)].map((m) => m[1]);
    expect(order).toEqual(['zeta', '__proto__', '__proto__.polluted', 'constructor', 'constructor.name', 'toString', '商品名称']);
    const byName = Object.fromEntries(response.json.properties.map((p: any) => [p.name, p]));
    expect(JSON.stringify(byName.__proto__)).toBe(
      '{"name":"__proto__","type":"object","value":{"polluted":true},"path":"constructor.__proto__",' +
        '"properties":[{"name":"polluted","type":"boolean","value":true,"path":"constructor.__proto__.polluted"}]}',
    );
    expect(byName.constructor).toEqual({
      name: 'constructor',
      type: 'object',
      value: { name: 'c' },
      path: 'constructor.constructor',
      properties: [{ name: 'name', type: 'string', value: 'c', path: 'constructor.constructor.name' }],
    });
    expect(byName.toString).toEqual({ name: 'toString', type: 'string', value: 't', path: 'constructor.toString' });
    expect(({} as any).polluted).toBeUndefined();
  });

  test('object keys keep their insertion order, integer-like keys included (§3)', async () => {
    const exec = newExecutionId('props-order');
    // Raw JSON text: a JS object literal would already move "10" and "2" to the front.
    const raw = '{"zeta":1,"10":"ten","alpha":{"9":9,"b":2,"1":1},"2":"two"}';
    expectStatus(await ctx.call('PUT', variablePath(exec, 'rec'), `{"value":${raw},"source_step_index":0}`), 201);
    const response = await ctx.call('GET', propertiesPath(exec, 'rec'));
    expectStatus(response, 200);
    const order = [...response.text.matchAll(/"path":"rec\.([^"]*)"/g)].map((m) => m[1]);
    expect(order).toEqual(['zeta', '10', 'alpha', 'alpha.9', 'alpha.b', 'alpha.1', '2']);
  });

  test('values over 1 KiB are truncated like suggestion properties, nesting still shown', async () => {
    const exec = newExecutionId('props-trunc');
    const value = { big: { text: 'a'.repeat(1100), n: 1 }, fits: 'b'.repeat(1022), over: 'c'.repeat(1023) };
    await seed(ctx.call, exec, [{ name: 'doc', value }]);
    const body = await properties(exec, 'doc');
    const [big, fits, over] = body.properties;
    expect(big).toMatchObject({
      name: 'big',
      type: 'object',
      value_truncated: true,
      preview_value: '{"text": ..., "n": ...}',
      path: 'doc.big',
    });
    expect('value' in big).toBe(false);
    expect(big.properties).toEqual([
      { name: 'text', type: 'string', value_truncated: true, preview_value: `"${'a'.repeat(97)}..."`, path: 'doc.big.text' },
      { name: 'n', type: 'number', value: 1, path: 'doc.big.n' },
    ]);
    expect(fits).toEqual({ name: 'fits', type: 'string', value: 'b'.repeat(1022), path: 'doc.fits' });
    expect(over).toEqual({
      name: 'over',
      type: 'string',
      value_truncated: true,
      preview_value: `"${'c'.repeat(97)}..."`,
      path: 'doc.over',
    });
  });

  test('sensitive variables: keys visible, values masked at every depth', async () => {
    const exec = newExecutionId('props-sensitive');
    await seed(ctx.call, exec, [
      { name: 'creds', value: { user: 'ann', auth: { password: 'hunter2', otp: 123456 }, list: ['s3cr3t'] }, sensitive: true },
    ]);
    const response = await ctx.call('GET', propertiesPath(exec, 'creds'));
    expectStatus(response, 200);
    const body = response.json;
    expect(body.data_type).toBe('object');
    expect(paths(body.properties)).toEqual(['creds.user', 'creds.auth', 'creds.auth.password', 'creds.auth.otp', 'creds.list']);
    const entries = [...body.properties, ...body.properties[1].properties];
    for (const entry of entries) expect(entry.value).toBe('******');
    for (const secret of ['ann', 'hunter2', '123456', 's3cr3t']) expect(response.text).not.toContain(secret);
  });
});

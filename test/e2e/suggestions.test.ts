/**
 * GET /variable-suggestions end to end (API.md §5 "Smart hints" and `preview_value`): step filter,
 * loose query parameters, order, limit, include_properties, properties and their 1 KiB truncation,
 * previews counted in code points, masking of sensitive variables.
 */
import { expectStatus, ISO_MS, newExecutionId, seed, seedOneByOne, suggestionsPath, useServer, variablePath } from './hints-support';

const ctx = useServer();

const ITEM_KEYS = ['created_at', 'data_type', 'name', 'preview_value', 'source_api_method', 'source_step_index', 'updated_at'];

/**
 * The preview paragraph writes `sensitive → "******"` in the same notation as `string → "` + s + `"`,
 * while §3 calls the mask `"******"` as a JSON string: both '******' and '"******"' are accepted.
 */
const MASKED_PREVIEWS = ['******', '"******"'];

async function suggestions(exec: string, query = ''): Promise<any> {
  const response = await ctx.call('GET', `${suggestionsPath(exec)}${query ? `?${query}` : ''}`);
  expectStatus(response, 200);
  expect(Object.keys(response.json).sort()).toEqual(['current_step_index', 'execution_id', 'mode', 'total_count', 'variables']);
  expect(response.json.execution_id).toBe(exec);
  expect(response.json.mode).toBe('full');
  expect(response.json.total_count).toBe(response.json.variables.length);
  return response.json;
}

const names = (body: any): string[] => body.variables.map((v: any) => v.name);
const byName = (body: any, name: string): any => body.variables.find((v: any) => v.name === name);

function expectListOrder(items: any[]): void {
  for (let i = 1; i < items.length; i += 1) {
    const a = items[i - 1];
    const b = items[i];
    const ordered =
      a.source_step_index < b.source_step_index ||
      (a.source_step_index === b.source_step_index && (a.updated_at < b.updated_at || (a.updated_at === b.updated_at && a.name < b.name)));
    if (!ordered)
      throw new Error(
        `out of order at ${i}: ${JSON.stringify([a.source_step_index, a.updated_at, a.name])} then ` +
          `${JSON.stringify([b.source_step_index, b.updated_at, b.name])}`,
      );
  }
}

describe('shape and filtering', () => {
  test('an execution without variables: empty list', async () => {
    const exec = newExecutionId('sug-empty');
    const body = await suggestions(exec);
    expect(body).toEqual({ execution_id: exec, current_step_index: null, variables: [], total_count: 0, mode: 'full' });
  });

  test('item fields; properties only for objects and arrays', async () => {
    const exec = newExecutionId('sug-shape');
    await seed(ctx.call, exec, [
      { name: 'product', value: { name: 'Phone', price: 9.5 }, step: 2, method: 'aiQuery' },
      { name: 'list', value: [1, 2], step: 2 },
      { name: 'title', value: 'x', step: 1 },
      { name: 'n', value: 3, step: 1 },
      { name: 'b', value: true, step: 1 },
      { name: 'z', value: null, step: 1 },
    ]);
    const body = await suggestions(exec, 'step_index=3');
    expect(body.current_step_index).toBe(3);
    expect(body.total_count).toBe(6);
    for (const item of body.variables) {
      const expectedKeys = ['object', 'array'].includes(item.data_type) ? [...ITEM_KEYS, 'properties'].sort() : ITEM_KEYS;
      expect(Object.keys(item).sort()).toEqual(expectedKeys);
      expect(item.created_at).toMatch(ISO_MS);
      expect(item.updated_at).toMatch(ISO_MS);
    }
    const product = byName(body, 'product');
    expect(product).toMatchObject({
      data_type: 'object',
      source_step_index: 2,
      source_api_method: 'aiQuery',
      preview_value: '{"name": ..., "price": ...}',
    });
    expect(product.properties).toEqual([
      { name: 'name', type: 'string', value: 'Phone', path: 'product.name' },
      { name: 'price', type: 'number', value: 9.5, path: 'product.price' },
    ]);
    expect(byName(body, 'list').properties).toEqual([]);
    expect(byName(body, 'list').preview_value).toBe('[2 items]');
    expect(byName(body, 'title').source_api_method).toBeNull();
    // created_at / updated_at match the variable's metadata.
    const meta = await ctx.call('GET', variablePath(exec, 'product'));
    expect(product.created_at).toBe(meta.json.created_at);
    expect(product.updated_at).toBe(meta.json.updated_at);
  });

  test('step_index keeps only variables with source_step_index < step_index', async () => {
    const exec = newExecutionId('sug-step');
    await seedOneByOne(
      ctx.call,
      exec,
      [
        { name: 's0', value: 0, step: 0 },
        { name: 's1', value: 1, step: 1 },
        { name: 's2', value: 2, step: 2 },
        { name: 's5', value: 5, step: 5 },
      ],
      0,
    );
    expect(names(await suggestions(exec, 'step_index=0'))).toEqual([]);
    expect(names(await suggestions(exec, 'step_index=1'))).toEqual(['s0']);
    expect(names(await suggestions(exec, 'step_index=2'))).toEqual(['s0', 's1']);
    expect(names(await suggestions(exec, 'step_index=5'))).toEqual(['s0', 's1', 's2']);
    const six = await suggestions(exec, 'step_index=6');
    expect(names(six)).toEqual(['s0', 's1', 's2', 's5']);
    expect(six.current_step_index).toBe(6);
    const all = await suggestions(exec);
    expect(all.current_step_index).toBeNull();
    expect(names(all)).toEqual(['s0', 's1', 's2', 's5']);
  });

  test('a step_index that is not an integer is treated as absent', async () => {
    const exec = newExecutionId('sug-loose-step');
    await seed(ctx.call, exec, [
      { name: 'a', value: 1, step: 0 },
      { name: 'b', value: 2, step: 4 },
    ]);
    for (const raw of ['abc', '1.5', '2abc', '', 'NaN', 'Infinity']) {
      const body = await suggestions(exec, `step_index=${encodeURIComponent(raw)}`);
      expect({ raw, current: body.current_step_index }).toEqual({ raw, current: null });
      expect(names(body)).toEqual(['a', 'b']);
    }
  });
});

describe('order and limit', () => {
  test('source step, then updated_at, then name; overwrites move items', async () => {
    const exec = newExecutionId('sug-order');
    await seedOneByOne(
      ctx.call,
      exec,
      [
        { name: 'zeta', value: 1, step: 1 },
        { name: 'alpha', value: 1, step: 1 },
        { name: 'mid', value: 1, step: 0 },
        { name: 'late', value: 1, step: 7 },
        { name: 'beta', value: 1, step: 1 },
      ],
      4,
    );
    expect(names(await suggestions(exec))).toEqual(['mid', 'zeta', 'alpha', 'beta', 'late']);
    await seedOneByOne(ctx.call, exec, [{ name: 'zeta', value: 2, step: 1 }], 0);
    expect(names(await suggestions(exec))).toEqual(['mid', 'alpha', 'beta', 'zeta', 'late']);
    // A batch may share one updated_at: then the name decides.
    const batch = newExecutionId('sug-order-batch');
    await seed(
      ctx.call,
      batch,
      ['q', 'c', 'x', 'a', 'm'].map((name) => ({ name, value: name, step: 2 })).concat([{ name: 'first', value: 'f', step: 0 }]),
    );
    const body = await suggestions(batch);
    expect(names(body)[0]).toBe('first');
    expectListOrder(body.variables);
  });

  test('no default limit: 150 variables all come back', async () => {
    const exec = newExecutionId('sug-150');
    await seed(
      ctx.call,
      exec,
      Array.from({ length: 150 }, (_, i) => ({ name: `v${String(i).padStart(3, '0')}`, value: { i }, step: i % 7 })),
    );
    const body = await suggestions(exec);
    expect(body.total_count).toBe(150);
    expectListOrder(body.variables);
    expect(new Set(names(body)).size).toBe(150);
  });

  test('limit cuts after ordering; non-positive or garbage limits are ignored', async () => {
    const exec = newExecutionId('sug-limit');
    await seedOneByOne(
      ctx.call,
      exec,
      Array.from({ length: 12 }, (_, i) => ({ name: `n${String(11 - i).padStart(2, '0')}`, value: i, step: 11 - i })),
      0,
    );
    const full = await suggestions(exec);
    expect(full.total_count).toBe(12);
    expect(names(full)).toEqual(Array.from({ length: 12 }, (_, i) => `n${String(i).padStart(2, '0')}`));
    const five = await suggestions(exec, 'limit=5');
    expect(names(five)).toEqual(names(full).slice(0, 5));
    expect(five.total_count).toBe(5);
    const filtered = await suggestions(exec, 'limit=3&step_index=9');
    expect(names(filtered)).toEqual(['n00', 'n01', 'n02']);
    expect(filtered.total_count).toBe(3);
    expect(names(await suggestions(exec, 'limit=1000'))).toEqual(names(full));
    for (const raw of ['0', '-3', 'abc', '1.5', '', '2x']) {
      const body = await suggestions(exec, `limit=${encodeURIComponent(raw)}`);
      expect({ raw, count: body.total_count }).toEqual({ raw, count: 12 });
    }
  });
});

describe('include_properties', () => {
  test('default true; "true" in any case is true; anything else false', async () => {
    const exec = newExecutionId('sug-flag');
    await seed(ctx.call, exec, [
      { name: 'obj', value: { a: 1 } },
      { name: 'arr', value: [1] },
      { name: 's', value: 'x' },
    ]);
    for (const query of ['', 'include_properties=true', 'include_properties=TRUE', 'include_properties=True', 'include_properties=tRuE']) {
      const body = await suggestions(exec, query);
      expect({ query, props: byName(body, 'obj').properties }).toEqual({
        query,
        props: [{ name: 'a', type: 'number', value: 1, path: 'obj.a' }],
      });
      expect(byName(body, 'arr').properties).toEqual([]);
      expect('properties' in byName(body, 's')).toBe(false);
    }
    for (const query of [
      'include_properties=false',
      'include_properties=1',
      'include_properties=yes',
      'include_properties=',
      'include_properties=on',
      'include_properties=truee',
    ]) {
      const body = await suggestions(exec, query);
      for (const item of body.variables) expect({ query, keys: Object.keys(item).sort() }).toEqual({ query, keys: ITEM_KEYS });
    }
  });
});

describe('properties', () => {
  test('objects list top-level keys in insertion order with {name, type, value, path}', async () => {
    const exec = newExecutionId('sug-props');
    const raw =
      '{"zeta":"z","alpha":{"deep":[1,{"x":null}]},"__proto__":{"p":1},"商品名称":"手机","list":[1,2],' +
      '"nil":null,"constructor":"c","flag":false,"n":1.5}';
    expectStatus(await ctx.call('PUT', variablePath(exec, 'rec'), `{"value":${raw},"source_step_index":0}`), 201);
    const response = await ctx.call('GET', suggestionsPath(exec));
    expectStatus(response, 200);
    const properties = byName(response.json, 'rec').properties;
    expect(JSON.stringify(properties)).toBe(
      JSON.stringify([
        { name: 'zeta', type: 'string', value: 'z', path: 'rec.zeta' },
        { name: 'alpha', type: 'object', value: { deep: [1, { x: null }] }, path: 'rec.alpha' },
        JSON.parse('{"name":"__proto__","type":"object","value":{"p":1},"path":"rec.__proto__"}'),
        { name: '商品名称', type: 'string', value: '手机', path: 'rec.商品名称' },
        { name: 'list', type: 'array', value: [1, 2], path: 'rec.list' },
        { name: 'nil', type: 'null', value: null, path: 'rec.nil' },
        { name: 'constructor', type: 'string', value: 'c', path: 'rec.constructor' },
        { name: 'flag', type: 'boolean', value: false, path: 'rec.flag' },
        { name: 'n', type: 'number', value: 1.5, path: 'rec.n' },
      ]),
    );
    expect(byName(response.json, 'rec').preview_value).toBe('{"zeta": ..., "alpha": ..., "__proto__": ..., ...}');
  });

  test('insertion order holds for integer-like keys too (§3), in properties and preview', async () => {
    const exec = newExecutionId('sug-props-order');
    // Sent as raw JSON text: a JS object would move the integer-like keys "10" and "2" to the front.
    const raw = '{"zeta":"z","10":10,"alpha":1,"2":true}';
    expectStatus(await ctx.call('PUT', variablePath(exec, 'rec'), `{"value":${raw},"source_step_index":0}`), 201);
    const response = await ctx.call('GET', suggestionsPath(exec));
    expectStatus(response, 200);
    const order = [...response.text.matchAll(/"path":"rec\.([^"]*)"/g)].map((m) => m[1]);
    expect(order).toEqual(['zeta', '10', 'alpha', '2']);
    expect(byName(response.json, 'rec').preview_value).toBe('{"zeta": ..., "10": ..., "alpha": ..., ...}');
  });

  test('a property whose compact JSON exceeds 1 KiB carries value_truncated and preview_value (1024 vs 1025 bytes)', async () => {
    const exec = newExecutionId('sug-trunc');
    const s1024 = 'a'.repeat(1022); // JSON "…" = 1024 bytes
    const s1025 = 'a'.repeat(1023);
    const cjk1022 = '中'.repeat(340); // 1022 bytes of JSON
    const cjk1025 = '中'.repeat(341); // 1025 bytes of JSON, only 343 characters
    const objectOver = { k: 'b'.repeat(1020) }; // {"k":"…"} = 1028 bytes
    await seed(ctx.call, exec, [
      { name: 'big', value: { at: s1024, over: s1025, cjk_at: cjk1022, cjk_over: cjk1025, obj_over: objectOver, small: 1 } },
    ]);
    const properties = byName(await suggestions(exec), 'big').properties;
    const prop = (name: string) => properties.find((p: any) => p.name === name);
    expect(prop('at')).toEqual({ name: 'at', type: 'string', value: s1024, path: 'big.at' });
    expect(prop('over')).toEqual({
      name: 'over',
      type: 'string',
      value_truncated: true,
      preview_value: `"${'a'.repeat(97)}..."`,
      path: 'big.over',
    });
    expect('value' in prop('over')).toBe(false);
    expect(prop('cjk_at')).toEqual({ name: 'cjk_at', type: 'string', value: cjk1022, path: 'big.cjk_at' });
    expect(prop('cjk_over')).toEqual({
      name: 'cjk_over',
      type: 'string',
      value_truncated: true,
      preview_value: `"${'中'.repeat(97)}..."`,
      path: 'big.cjk_over',
    });
    expect(prop('obj_over')).toEqual({
      name: 'obj_over',
      type: 'object',
      value_truncated: true,
      preview_value: '{"k": ...}',
      path: 'big.obj_over',
    });
    expect(prop('small')).toEqual({ name: 'small', type: 'number', value: 1, path: 'big.small' });
  });

  test('array boundary: 1024 bytes keeps the value, 1025 truncates', async () => {
    const exec = newExecutionId('sug-trunc-array');
    // [ + 512 × "0" joined by , + ] = 2 + 512 + 511 = 1025; with 511 zeros and one "10": [0,…,0,10]
    const at = Array.from({ length: 511 }, () => 0); // 2 + 511 + 510 = 1023
    at[510] = 10; // 1024 bytes
    const over = [...at];
    over[510] = 100; // 1025 bytes
    expect(JSON.stringify(at).length).toBe(1024);
    expect(JSON.stringify(over).length).toBe(1025);
    await seed(ctx.call, exec, [{ name: 'holder', value: { at, over } }]);
    const properties = byName(await suggestions(exec), 'holder').properties;
    expect(properties[0]).toEqual({ name: 'at', type: 'array', value: at, path: 'holder.at' });
    expect(properties[1]).toEqual({
      name: 'over',
      type: 'array',
      value_truncated: true,
      preview_value: '[511 items]',
      path: 'holder.over',
    });
  });
});

describe('preview_value', () => {
  test('exact previews for every type, counting code points', async () => {
    const exec = newExecutionId('sug-preview');
    const ascii100 = 'x'.repeat(100);
    const ascii101 = 'y'.repeat(101);
    const emoji100 = '😀'.repeat(100);
    const emoji101 = '😀'.repeat(101);
    const mixed100 = `${'m'.repeat(99)}😀`; // 100 code points, 101 UTF-16 units
    const mixed101 = `${'😀'.repeat(96)}abc${'😀'.repeat(2)}`; // 101 code points: keeps 96 emoji + 'a'
    const cases: Array<[string, unknown, unknown[]]> = [
      ['s_empty', '', ['""']],
      ['s_quote', 'say "hi"', ['"say "hi""']],
      ['s_100', ascii100, [`"${ascii100}"`]],
      ['s_101', ascii101, [`"${'y'.repeat(97)}..."`]],
      ['s_emoji_100', emoji100, [`"${emoji100}"`]],
      ['s_emoji_101', emoji101, [`"${'😀'.repeat(97)}..."`]],
      ['s_mixed_100', mixed100, [`"${mixed100}"`]],
      ['s_mixed_101', mixed101, [`"${'😀'.repeat(96)}a..."`]],
      ['n_int', 42, ['42']],
      ['n_big', 1e21, ['1e+21']],
      ['n_frac', 0.1 + 0.2, ['0.30000000000000004']],
      ['n_neg', -1.5, ['-1.5']],
      ['n_small', 1e-7, ['1e-7']],
      ['b_true', true, ['true']],
      ['b_false', false, ['false']],
      ['nil', null, [null, 'null']],
      ['o_empty', {}, ['{}']],
      ['o_one', { a: 1 }, ['{"a": ...}']],
      ['o_three', { name: 1, price: 2, stock: 3 }, ['{"name": ..., "price": ..., "stock": ...}']],
      ['o_four', { name: 1, price: 2, stock: 3, sku: 4 }, ['{"name": ..., "price": ..., "stock": ..., ...}']],
      ['o_keys', JSON.parse('{"商品":1,"a\\"b":2,"__proto__":3,"x":4}'), ['{"商品": ..., "a\\"b": ..., "__proto__": ..., ...}']],
      ['a_empty', [], ['[0 items]']],
      ['a_one', ['x'], ['[1 items]']],
      ['a_three', [1, [2], { c: 3 }], ['[3 items]']],
    ];
    await seed(
      ctx.call,
      exec,
      cases.map(([name, value]) => ({ name, value })),
    );
    const body = await suggestions(exec);
    for (const [name, , accepted] of cases) {
      const preview = byName(body, name).preview_value;
      expect({ name, ok: accepted.includes(preview), preview }).toEqual({ name, ok: true, preview });
    }
  });
});

describe('sensitive variables', () => {
  test('"******" in previews and property values; keys stay visible', async () => {
    const exec = newExecutionId('sug-sensitive');
    await seed(ctx.call, exec, [
      { name: 'creds', value: { user: 'ann', password: 'hunter2', nested: { k: 'v' }, big: 'z'.repeat(2000) }, sensitive: true },
      { name: 'token', value: 'tok-secret', sensitive: true },
      { name: 'codes', value: [1, 2, 3], sensitive: true },
      { name: 'open', value: { user: 'bob' } },
    ]);
    const body = await suggestions(exec);
    const creds = byName(body, 'creds');
    expect(MASKED_PREVIEWS).toContain(creds.preview_value);
    expect(creds.data_type).toBe('object');
    expect(creds.properties.map((p: any) => p.name)).toEqual(['user', 'password', 'nested', 'big']);
    expect(creds.properties.map((p: any) => p.path)).toEqual(['creds.user', 'creds.password', 'creds.nested', 'creds.big']);
    for (const property of creds.properties) {
      if ('value' in property) expect(property.value).toBe('******');
      else expect(MASKED_PREVIEWS).toContain(property.preview_value);
    }
    expect(creds.properties.slice(0, 3).map((p: any) => p.value)).toEqual(['******', '******', '******']);
    const token = byName(body, 'token');
    expect(MASKED_PREVIEWS).toContain(token.preview_value);
    expect(token.data_type).toBe('string');
    expect('properties' in token).toBe(false);
    const codes = byName(body, 'codes');
    expect(MASKED_PREVIEWS).toContain(codes.preview_value);
    expect(codes.properties).toEqual([]);
    expect(byName(body, 'open').properties).toEqual([{ name: 'user', type: 'string', value: 'bob', path: 'open.user' }]);
    const text = JSON.stringify(body);
    for (const secret of ['ann', 'hunter2', 'tok-secret', '"v"', 'zzzz']) expect(text).not.toContain(secret);
  });
});

/**
 * GET /variables end to end (API.md §2, §5 "Variables"): order, limit, cursor pagination,
 * include_values, preview_value, masking and the 4 MiB page budget.
 */
import {
  expectError,
  expectMetadata,
  expectStatus,
  listAll,
  MIB,
  newExecutionId,
  putVariable,
  sleep,
  stringOfJsonBytes,
  useServer,
  variablesPath,
  type Call,
} from './support';

const ctx = useServer();

function expectListOrder(items: any[]): void {
  for (let i = 1; i < items.length; i += 1) {
    const a = items[i - 1];
    const b = items[i];
    const ordered =
      a.source_step_index < b.source_step_index ||
      (a.source_step_index === b.source_step_index &&
        (a.updated_at < b.updated_at || (a.updated_at === b.updated_at && a.variable_name < b.variable_name)));
    if (!ordered)
      throw new Error(
        `out of order at ${i}: ${JSON.stringify([a.source_step_index, a.updated_at, a.variable_name])} ` +
          `then ${JSON.stringify([b.source_step_index, b.updated_at, b.variable_name])}`,
      );
  }
}

async function storeMany(call: Call, exec: string, count: number, step: (i: number) => number = (i) => i % 13): Promise<void> {
  for (let start = 0; start < count; start += 100) {
    const variables = [];
    for (let i = start; i < Math.min(count, start + 100); i += 1)
      variables.push({ variable_name: `var_${String(i).padStart(5, '0')}`, value: i, source_step_index: step(i) });
    const response = await call('POST', variablesPath(exec), { variables });
    expectStatus(response, 200);
  }
}

const names = (page: any): string[] => page.variables.map((v: any) => v.variable_name);

describe('shape', () => {
  test('an unknown execution lists nothing', async () => {
    const exec = newExecutionId('list-empty');
    const response = await ctx.call('GET', variablesPath(exec));
    expectStatus(response, 200);
    expect(response.json).toEqual({ execution_id: exec, variables: [], count: 0, next_cursor: null });
  });

  test('items are metadata + preview_value (+ value with include_values), nothing else', async () => {
    const exec = newExecutionId('list-shape');
    expectStatus(
      await putVariable(
        ctx.call,
        exec,
        'item',
        { a: 1 },
        { source_step_index: 2, source_api_method: 'aiQuery', source_api_params: { q: 1 } },
      ),
      201,
    );
    const plain = await ctx.call('GET', variablesPath(exec));
    expectStatus(plain, 200);
    expect(Object.keys(plain.json).sort()).toEqual(['count', 'execution_id', 'next_cursor', 'variables']);
    expect(plain.json.execution_id).toBe(exec);
    expect(plain.json.count).toBe(1);
    expect(plain.json.next_cursor).toBeNull();
    expectMetadata(
      plain.json.variables[0],
      { variable_name: 'item', data_type: 'object', source_step_index: 2, source_api_method: 'aiQuery', version: 1, size_bytes: 7 },
      ['preview_value'],
    );
    const withValues = await ctx.call('GET', `${variablesPath(exec)}?include_values=true`);
    expectMetadata(withValues.json.variables[0], {}, ['preview_value', 'value']);
    expect(withValues.json.variables[0].value).toEqual({ a: 1 });
  });
});

describe('order', () => {
  test('source_step_index, then updated_at, then name; overwrites move items', async () => {
    const exec = newExecutionId('list-order');
    expectStatus(await putVariable(ctx.call, exec, 'b', 1, { source_step_index: 2 }), 201);
    await sleep(3);
    expectStatus(await putVariable(ctx.call, exec, 'z', 1, { source_step_index: 1 }), 201);
    await sleep(3);
    expectStatus(await putVariable(ctx.call, exec, 'a', 1, { source_step_index: 1 }), 201);
    await sleep(3);
    expectStatus(await putVariable(ctx.call, exec, 'c', 1, { source_step_index: 10 }), 201);
    let list = await ctx.call('GET', variablesPath(exec));
    expect(names(list.json)).toEqual(['z', 'a', 'b', 'c']);

    await sleep(3);
    expectStatus(await putVariable(ctx.call, exec, 'z', 2, { source_step_index: 1 }), 200);
    list = await ctx.call('GET', variablesPath(exec));
    expect(names(list.json)).toEqual(['a', 'z', 'b', 'c']);

    await sleep(3);
    expectStatus(await putVariable(ctx.call, exec, 'c', 2, { source_step_index: 0 }), 200);
    list = await ctx.call('GET', variablesPath(exec));
    expect(names(list.json)).toEqual(['c', 'a', 'z', 'b']);
    expectListOrder(list.json.variables);
  });

  test('numeric order of steps (10 after 9, not lexicographic) and name as the last tie-break', async () => {
    const exec = newExecutionId('list-order-ties');
    for (const [name, step] of [
      ['s10', 10],
      ['s9', 9],
      ['s100', 100],
      ['s2', 2],
    ] as const)
      expectStatus(await putVariable(ctx.call, exec, name, 1, { source_step_index: step }), 201);
    const batch = await ctx.call('POST', variablesPath(exec), {
      variables: ['tie_c', 'tie_a', 'tie_b', 'Tie_A', '_tie'].map((variable_name) => ({ variable_name, value: 0, source_step_index: 50 })),
    });
    expectStatus(batch, 200);
    const list = await ctx.call('GET', variablesPath(exec));
    expectListOrder(list.json.variables);
    expect(names(list.json).filter((n) => /^s\d/.test(n))).toEqual(['s2', 's9', 's10', 's100']);
    const ties = list.json.variables.filter((v: any) => v.source_step_index === 50);
    expect(ties).toHaveLength(5);
    expectListOrder(ties);
  });
});

describe('limit', () => {
  const exec = newExecutionId('list-limit');
  beforeAll(async () => {
    await storeMany(ctx.call, exec, 1001);
  }, 60_000);

  test('default limit is 100', async () => {
    const response = await ctx.call('GET', variablesPath(exec));
    expectStatus(response, 200);
    expect(response.json.variables).toHaveLength(100);
    expect(response.json.count).toBe(100);
    expect(typeof response.json.next_cursor).toBe('string');
    expectListOrder(response.json.variables);
  });

  test('limit=1000 gives 1000; above the maximum is clamped to 1000', async () => {
    for (const limit of ['1000', '1001', '5000', '999999999']) {
      const response = await ctx.call('GET', `${variablesPath(exec)}?limit=${limit}`);
      expectStatus(response, 200);
      expect({ limit, count: response.json.count, items: response.json.variables.length }).toEqual({ limit, count: 1000, items: 1000 });
      expect(typeof response.json.next_cursor).toBe('string');
    }
  });

  test('walking with limit=1000 and limit=100 visits all 1001 exactly once, in order', async () => {
    for (const limit of [1000, 100]) {
      const pages = await listAll(ctx.call, exec, `limit=${limit}`);
      const items = pages.flatMap((page) => page.variables);
      expect(items).toHaveLength(1001);
      expect(new Set(items.map((v: any) => v.variable_name)).size).toBe(1001);
      expectListOrder(items);
      expect(pages.map((page) => page.count)).toEqual(pages.map((page) => page.variables.length));
      expect(pages[pages.length - 1].next_cursor).toBeNull();
    }
  });

  test.each(['0', '-1', 'abc', '1.5', '10abc', '1e2', '', '-0', 'NaN', 'Infinity'])(
    'limit=%p → 400 INVALID_REQUEST naming limit',
    async (limit) => {
      const response = await ctx.call('GET', `${variablesPath(exec)}?limit=${encodeURIComponent(limit)}`);
      const error = expectError(response, 'INVALID_REQUEST');
      expect(`${error.message} ${JSON.stringify(error.details)}`).toContain('limit');
    },
  );
});

describe('cursor pagination', () => {
  test('25 items with limit 7 come in pages 7,7,7,4 exactly once, next_cursor null at the end', async () => {
    const exec = newExecutionId('list-cursor');
    await storeMany(ctx.call, exec, 25, (i) => (i * 7) % 5);
    const full = await ctx.call('GET', `${variablesPath(exec)}?limit=1000`);
    expect(full.json.count).toBe(25);
    expect(full.json.next_cursor).toBeNull();
    const pages = await listAll(ctx.call, exec, 'limit=7');
    expect(pages.map((page) => page.count)).toEqual([7, 7, 7, 4]);
    expect(pages.map((page) => page.variables.length)).toEqual([7, 7, 7, 4]);
    expect(pages.flatMap(names)).toEqual(names(full.json));
    for (const page of pages.slice(0, -1)) expect(typeof page.next_cursor).toBe('string');
    expect(pages[3].next_cursor).toBeNull();

    const withValues = await listAll(ctx.call, exec, 'limit=4&include_values=true');
    expect(withValues.flatMap(names)).toEqual(names(full.json));
    for (const item of withValues.flatMap((page) => page.variables)) expect(item.value).toBe(Number(item.variable_name.slice(4)));
  });

  test('a last page that is exactly full has next_cursor null', async () => {
    const exec = newExecutionId('list-exact');
    await storeMany(ctx.call, exec, 10);
    const one = await ctx.call('GET', `${variablesPath(exec)}?limit=10`);
    expect(one.json.count).toBe(10);
    expect(one.json.next_cursor).toBeNull();
    const pages = await listAll(ctx.call, exec, 'limit=5');
    expect(pages.map((page) => page.count)).toEqual([5, 5]);
  });

  test('the cursor keeps working with a different limit', async () => {
    const exec = newExecutionId('list-cursor-mix');
    await storeMany(ctx.call, exec, 12);
    const full = names((await ctx.call('GET', variablesPath(exec))).json);
    const first = await ctx.call('GET', `${variablesPath(exec)}?limit=3`);
    const rest = await ctx.call('GET', `${variablesPath(exec)}?limit=100&cursor=${encodeURIComponent(first.json.next_cursor)}`);
    expectStatus(rest, 200);
    expect([...names(first.json), ...names(rest.json)]).toEqual(full);
    expect(rest.json.next_cursor).toBeNull();
  });

  test.each([
    ['garbage', 'garbage'],
    ['!!!', '!!!'],
    ['base64 of {"x":1}', 'eyJ4IjoxfQ'],
    ['base64 of {}', 'e30'],
    ['null', 'null'],
    ['3000 characters', 'a'.repeat(3000)],
    ['a NUL byte', '%00'],
  ])('invalid cursor (%s) → 400 INVALID_REQUEST naming cursor', async (_label, cursor) => {
    const exec = newExecutionId('list-bad-cursor');
    expectStatus(await putVariable(ctx.call, exec, 'x', 1), 201);
    const response = await ctx.call('GET', `${variablesPath(exec)}?cursor=${cursor === '%00' ? cursor : encodeURIComponent(cursor)}`);
    const error = expectError(response, 'INVALID_REQUEST');
    expect(`${error.message} ${JSON.stringify(error.details)}`).toContain('cursor');
  });

  test('a cursor of another execution is invalid here, for variables and for references', async () => {
    const [one, other] = [newExecutionId('list-cursor-one'), newExecutionId('list-cursor-other')];
    for (const exec of [one, other]) {
      for (let i = 0; i < 3; i += 1) expectStatus(await putVariable(ctx.call, exec, `v${i}`, i, { source_step_index: i }), 201);
      expectStatus(await ctx.call('POST', `/api/v1/executions/${exec}/resolve`, { step_index: 5, text: '${v0} ${v1} ${v2}' }), 200);
    }
    const variables = await ctx.call('GET', `${variablesPath(one)}?limit=1`);
    expectError(
      await ctx.call('GET', `${variablesPath(other)}?limit=1&cursor=${encodeURIComponent(variables.json.next_cursor)}`),
      'INVALID_REQUEST',
    );
    const references = await ctx.call('GET', `/api/v1/executions/${one}/variable-references?limit=1`);
    expectError(
      await ctx.call(
        'GET',
        `/api/v1/executions/${other}/variable-references?limit=1&cursor=${encodeURIComponent(references.json.next_cursor)}`,
      ),
      'INVALID_REQUEST',
    );
    expectStatus(
      await ctx.call(
        'GET',
        `/api/v1/executions/${one}/variable-references?limit=1&cursor=${encodeURIComponent(references.json.next_cursor)}`,
      ),
      200,
    );
  });
});

describe('include_values', () => {
  let exec: string;
  beforeAll(async () => {
    exec = newExecutionId('list-flags');
    expectStatus(await putVariable(ctx.call, exec, 'v', { deep: [1, 2] }), 201);
    expectStatus(await putVariable(ctx.call, exec, 'n', null, { source_step_index: 1 }), 201);
  });

  test.each(['true', 'TRUE', 'True', 'tRuE'])('include_values=%s includes values (null too)', async (flag) => {
    const response = await ctx.call('GET', `${variablesPath(exec)}?include_values=${flag}`);
    expectStatus(response, 200);
    expect(response.json.variables[0].value).toEqual({ deep: [1, 2] });
    expect(response.json.variables[1]).toHaveProperty('value', null);
  });

  test.each(['false', '1', 'yes', '', 'on', 'truee', 'FALSE'])('include_values=%p means false', async (flag) => {
    const response = await ctx.call('GET', `${variablesPath(exec)}?include_values=${flag}`);
    expectStatus(response, 200);
    for (const item of response.json.variables) expect(item).not.toHaveProperty('value');
  });

  test('absent means false', async () => {
    const response = await ctx.call('GET', variablesPath(exec));
    for (const item of response.json.variables) expect(item).not.toHaveProperty('value');
  });
});

describe('preview_value', () => {
  const ascii100 = 'x'.repeat(100);
  const ascii101 = `${'y'.repeat(97)}abcd`;
  const emoji100 = '😀'.repeat(100);
  const emoji101 = '😀'.repeat(101);
  const cases: Array<[string, unknown, string]> = [
    ['p_null', null, 'null'],
    ['p_string', 'abc', '"abc"'],
    ['p_empty', '', '""'],
    ['p_quotes', 'he said "hi"', '"he said "hi""'],
    ['p_100', ascii100, `"${ascii100}"`],
    ['p_101', ascii101, `"${'y'.repeat(97)}..."`],
    ['p_emoji_100', emoji100, `"${emoji100}"`],
    ['p_emoji_101', emoji101, `"${'😀'.repeat(97)}..."`],
    ['p_cjk_120', '中'.repeat(120), `"${'中'.repeat(97)}..."`],
    ['p_int', 5, '5'],
    ['p_float', 1.5, '1.5'],
    ['p_big', 1e21, '1e+21'],
    ['p_small', 1e-7, '1e-7'],
    ['p_negative', -42, '-42'],
    ['p_true', true, 'true'],
    ['p_false', false, 'false'],
    ['p_empty_object', {}, '{}'],
    ['p_one_key', { a: { deep: 1 } }, '{"a": ...}'],
    ['p_three_keys', { a: 1, b: 2, c: 3 }, '{"a": ..., "b": ..., "c": ...}'],
    ['p_four_keys', { name: 'W', price: 1, stock: 2, color: 'red' }, '{"name": ..., "price": ..., "stock": ..., ...}'],
    ['p_key_order', { zeta: 1, alpha: 2 }, '{"zeta": ..., "alpha": ...}'],
    ['p_odd_keys', { 'q"k': 1, 中: 2, 'a\\b': 3, e: 4, f: 5 }, '{"q\\"k": ..., "中": ..., "a\\\\b": ..., ...}'],
    ['p_empty_array', [], '[0 items]'],
    ['p_one_item', ['a'], '[1 items]'],
    ['p_three_items', [1, [2], { three: 3 }], '[3 items]'],
  ];

  test('previews follow API.md exactly', async () => {
    const exec = newExecutionId('list-preview');
    for (const [i, [name, value]] of cases.entries())
      expectStatus(await putVariable(ctx.call, exec, name, value, { source_step_index: i }), 201);
    const response = await ctx.call('GET', variablesPath(exec));
    expectStatus(response, 200);
    const actual = Object.fromEntries(response.json.variables.map((v: any) => [v.variable_name, v.preview_value]));
    const expected = Object.fromEntries(cases.map(([name, , preview]) => [name, preview]));
    expect(actual).toEqual(expected);
    const withValues = await ctx.call('GET', `${variablesPath(exec)}?include_values=true`);
    expect(Object.fromEntries(withValues.json.variables.map((v: any) => [v.variable_name, v.preview_value]))).toEqual(expected);
  });

  test('sensitive values are masked in preview and in values', async () => {
    const exec = newExecutionId('list-masked');
    for (const [i, value] of ['secret-text', { secret: 'x' }, [1, 2, 3], 12345, true, null].entries()) {
      expectStatus(await putVariable(ctx.call, exec, `s${i}`, value, { sensitive: true, source_step_index: i }), 201);
    }
    const response = await ctx.call('GET', `${variablesPath(exec)}?include_values=true`);
    expect(response.text).not.toContain('secret');
    expect(response.text).not.toContain('12345');
    for (const item of response.json.variables) {
      expect(['"******"', '******']).toContain(item.preview_value);
      expect(item.value).toBe('******');
      expect(item.sensitive).toBe(true);
    }
  });
});

describe('the 4 MiB page budget with include_values', () => {
  test('five 1 MiB values with limit 10: 4 on the first page, 1 on the next', async () => {
    const exec = newExecutionId('list-budget');
    for (let i = 0; i < 5; i += 1)
      expectStatus(
        await putVariable(ctx.call, exec, `big${i}`, stringOfJsonBytes(MIB, String.fromCharCode(97 + i)), { source_step_index: i }),
        201,
      );
    const first = await ctx.call('GET', `${variablesPath(exec)}?include_values=true&limit=10`);
    expectStatus(first, 200);
    expect(names(first.json)).toEqual(['big0', 'big1', 'big2', 'big3']);
    expect(first.json.count).toBe(4);
    expect(typeof first.json.next_cursor).toBe('string');
    first.json.variables.forEach((item: any, i: number) => {
      expect(item.value.length).toBe(MIB - 2);
      expect(item.value[0]).toBe(String.fromCharCode(97 + i));
    });
    const second = await ctx.call(
      'GET',
      `${variablesPath(exec)}?include_values=true&limit=10&cursor=${encodeURIComponent(first.json.next_cursor)}`,
    );
    expectStatus(second, 200);
    expect(names(second.json)).toEqual(['big4']);
    expect(second.json.next_cursor).toBeNull();
    expect(second.json.variables[0].value.length).toBe(MIB - 2);

    const noValues = await ctx.call('GET', `${variablesPath(exec)}?limit=10`);
    expect(noValues.json.count).toBe(5);
    expect(noValues.json.next_cursor).toBeNull();
    const smallLimit = await ctx.call('GET', `${variablesPath(exec)}?include_values=true&limit=2`);
    expect(names(smallLimit.json)).toEqual(['big0', 'big1']);
  });

  test('the page ends when the next value would exceed 4 MiB (900 kB values: 4 per page)', async () => {
    const exec = newExecutionId('list-budget-900k');
    for (let i = 0; i < 6; i += 1)
      expectStatus(await putVariable(ctx.call, exec, `v${i}`, stringOfJsonBytes(900_000), { source_step_index: i }), 201);
    const pages = await listAll(ctx.call, exec, 'include_values=true&limit=100');
    expect(pages.map(names)).toEqual([
      ['v0', 'v1', 'v2', 'v3'],
      ['v4', 'v5'],
    ]);
  });

  test('a masked sensitive value counts as its mask: six 1 MiB secrets fit one page', async () => {
    const exec = newExecutionId('list-budget-secret');
    for (let i = 0; i < 6; i += 1)
      expectStatus(await putVariable(ctx.call, exec, `s${i}`, stringOfJsonBytes(MIB), { source_step_index: i, sensitive: true }), 201);
    const pages = await listAll(ctx.call, exec, 'include_values=true');
    expect(pages.map(names)).toEqual([['s0', 's1', 's2', 's3', 's4', 's5']]);
    expect(pages[0].variables.every((item: any) => item.value === '******')).toBe(true);
  });

  test('small values count too: 1 MiB + 10 B + 1 MiB + 1 MiB fit, the next 1 MiB does not', async () => {
    const exec = newExecutionId('list-budget-mixed');
    const sizes = [MIB, 10, MIB, MIB, MIB, 10];
    for (const [i, size] of sizes.entries())
      expectStatus(await putVariable(ctx.call, exec, `m${i}`, stringOfJsonBytes(size), { source_step_index: i }), 201);
    const pages = await listAll(ctx.call, exec, 'include_values=true');
    expect(pages.map(names)).toEqual([
      ['m0', 'm1', 'm2', 'm3'],
      ['m4', 'm5'],
    ]);
  });
});

/**
 * The original step editor's paths and properties of a reference path (API.md §5 "Smart hints",
 * "Compatibility with the original step editor"):
 * - GET /api/executions/{id}/variable-suggestions answers as its /api/v1 twin, each item also
 *   carrying `preview` (= preview_value);
 * - GET /api/executions/{id}/variables/{name}/properties answers as its /api/v1 twin;
 * - `{variable_name}` may be a path (`product_info.specs`, `items[0]`, `items[-1].tags`):
 *   404 VARIABLE_NOT_FOUND for a missing root, 404 PROPERTY_NOT_FOUND {path} for a missing key or
 *   index, 400 INVALID_REQUEST for a step into a non-container.
 */
import { expectError, expectStatus, newExecutionId, propertiesPath, seed, suggestionsPath, useServer } from './hints-support';

const ctx = useServer();

const compatSuggestions = (exec: string): string => `/api/executions/${encodeURIComponent(exec)}/variable-suggestions`;
const compatProperties = (exec: string, name: string): string =>
  `/api/executions/${encodeURIComponent(exec)}/variables/${encodeURIComponent(name)}/properties`;

const PRODUCT = { name: 'phone', price: 999, specs: { color: 'black', storage: { size: 256, unit: 'GB' } }, tags: ['new', 'hot'] };
const ITEMS = [
  { id: 1, tags: ['a'] },
  { id: 2, tags: ['b', 'c'] },
];

async function seeded(): Promise<string> {
  const exec = newExecutionId('compat');
  await seed(ctx.call, exec, [
    { name: 'product_info', value: PRODUCT, step: 1, method: 'aiQuery' },
    { name: 'items', value: ITEMS, step: 2 },
    { name: 'title', value: 'x'.repeat(150), step: 3 },
    { name: 'secret', value: { token: 'abc', nested: { pin: 1234 } }, step: 3, sensitive: true },
  ]);
  return exec;
}

describe('GET /api/executions/{id}/variable-suggestions (original editor)', () => {
  test('answers as the /api/v1 twin, every item also carrying preview = preview_value', async () => {
    const exec = await seeded();
    for (const query of ['', '?step_index=3', '?step_index=abc&limit=x', '?include_properties=false&limit=2']) {
      const [compat, twin] = await Promise.all([
        ctx.call('GET', `${compatSuggestions(exec)}${query}`),
        ctx.call('GET', `${suggestionsPath(exec)}${query}`),
      ]);
      expectStatus(compat, 200);
      expectStatus(twin, 200);
      expect(compat.json.variables.length).toBeGreaterThan(0);
      for (const item of compat.json.variables) expect(item.preview).toBe(item.preview_value);
      const withoutPreview = { ...compat.json, variables: compat.json.variables.map(({ preview: _preview, ...rest }: any) => rest) };
      expect(withoutPreview).toEqual(twin.json);
    }
  });

  test('errors as the twin: invalid execution id', async () => {
    expectError(await ctx.call('GET', compatSuggestions('-bad')), 'INVALID_EXECUTION_ID');
  });
});

describe('GET /api/executions/{id}/variables/{name}/properties (original editor)', () => {
  test('answers as the /api/v1 twin, for names and paths alike', async () => {
    const exec = await seeded();
    for (const name of ['product_info', 'product_info.specs', 'items[0]', 'secret']) {
      const [compat, twin] = await Promise.all([
        ctx.call('GET', compatProperties(exec, name)),
        ctx.call('GET', propertiesPath(exec, name)),
      ]);
      expectStatus(compat, 200);
      expect(compat.json).toEqual(twin.json);
    }
    const [compat, twin] = await Promise.all([
      ctx.call('GET', compatProperties(exec, 'nope')),
      ctx.call('GET', propertiesPath(exec, 'nope')),
    ]);
    expect(expectError(compat, 'VARIABLE_NOT_FOUND').details).toEqual(expectError(twin, 'VARIABLE_NOT_FOUND').details);
  });
});

describe('properties of a reference path', () => {
  let exec: string;
  beforeAll(async () => {
    exec = await seeded();
  });

  test("product_info.specs: the nested object's properties, paths extending the path as sent", async () => {
    const response = await ctx.call('GET', propertiesPath(exec, 'product_info.specs'));
    expectStatus(response, 200);
    expect(response.json).toEqual({
      variable_name: 'product_info.specs',
      data_type: 'object',
      properties: [
        { name: 'color', type: 'string', value: 'black', path: 'product_info.specs.color' },
        {
          name: 'storage',
          type: 'object',
          value: { size: 256, unit: 'GB' },
          path: 'product_info.specs.storage',
          properties: [
            { name: 'size', type: 'number', value: 256, path: 'product_info.specs.storage.size' },
            { name: 'unit', type: 'string', value: 'GB', path: 'product_info.specs.storage.unit' },
          ],
        },
      ],
    });
  });

  test('max_depth counts from the path: 1 lists only its own keys', async () => {
    const response = await ctx.call('GET', `${propertiesPath(exec, 'product_info.specs')}?max_depth=1`);
    expectStatus(response, 200);
    expect(response.json.properties.map((p: any) => [p.path, 'properties' in p])).toEqual([
      ['product_info.specs.color', false],
      ['product_info.specs.storage', false],
    ]);
  });

  test('items[0] and items[-1]: array elements, counted from either end', async () => {
    const first = await ctx.call('GET', propertiesPath(exec, 'items[0]'));
    expectStatus(first, 200);
    expect(first.json).toEqual({
      variable_name: 'items[0]',
      data_type: 'object',
      properties: [
        { name: 'id', type: 'number', value: 1, path: 'items[0].id' },
        { name: 'tags', type: 'array', value: ['a'], path: 'items[0].tags' },
      ],
    });
    const last = await ctx.call('GET', propertiesPath(exec, 'items[-1]'));
    expect(last.json.properties[0]).toEqual({ name: 'id', type: 'number', value: 2, path: 'items[-1].id' });
  });

  test('a path that ends on an array or a scalar: its type and []', async () => {
    const tags = await ctx.call('GET', propertiesPath(exec, 'items[-1].tags'));
    expectStatus(tags, 200);
    expect(tags.json).toEqual({ variable_name: 'items[-1].tags', data_type: 'array', properties: [] });
    const color = await ctx.call('GET', propertiesPath(exec, 'product_info.specs.color'));
    expect(color.json).toEqual({ variable_name: 'product_info.specs.color', data_type: 'string', properties: [] });
    const dotIndex = await ctx.call('GET', propertiesPath(exec, 'items.1.tags'));
    expect(dotIndex.json).toEqual({ variable_name: 'items.1.tags', data_type: 'array', properties: [] });
  });

  test("a sensitive variable's nested keys stay visible, values masked", async () => {
    const response = await ctx.call('GET', propertiesPath(exec, 'secret.nested'));
    expectStatus(response, 200);
    expect(response.json.properties).toEqual([{ name: 'pin', type: 'number', value: '******', path: 'secret.nested.pin' }]);
  });

  test('a missing root is 404 VARIABLE_NOT_FOUND', async () => {
    const error = expectError(await ctx.call('GET', propertiesPath(exec, 'product_inf.specs')), 'VARIABLE_NOT_FOUND');
    expect(error.details).toEqual({ variable_name: 'product_inf' });
    expect(error.message).toContain("'product_inf'");
  });

  test.each([
    ['product_info.spec', "'spec'"],
    ['product_info.specs.weight', "'weight'"],
    ['items[2]', '2'],
    ['items[-3].tags', '-3'],
    ['items.length', "'length'"],
    ['product_info.constructor', "'constructor'"],
  ])('%s: 404 PROPERTY_NOT_FOUND naming the missing token, details {path}', async (path, token) => {
    const error = expectError(await ctx.call('GET', propertiesPath(exec, path)), 'PROPERTY_NOT_FOUND');
    expect(error.details).toEqual({ path });
    expect(error.message).toContain(token);
  });

  test.each(['product_info.name.first', 'product_info.price[0]', 'product_info[0]', 'title.x'])(
    '%s: a step into a non-container (or the wrong kind) is 400 INVALID_REQUEST',
    async (path) => {
      const error = expectError(await ctx.call('GET', propertiesPath(exec, path)), 'INVALID_REQUEST');
      expect(error.details).toEqual({ path });
    },
  );

  test.each(['1bad', 'a..b', 'a.', 'a[x]', 'a[0]b', ' a'])(
    '%s: not a name nor a path is 400 INVALID_VARIABLE_NAME, as before',
    async (path) => {
      expectError(await ctx.call('GET', propertiesPath(exec, path)), 'INVALID_VARIABLE_NAME');
    },
  );

  test('a PROPERTY_NOT_FOUND in Chinese when asked', async () => {
    const response = await ctx.call('GET', propertiesPath(exec, 'product_info.spec'), undefined, { 'Accept-Language': 'zh-CN' });
    expectError(response, 'PROPERTY_NOT_FOUND');
    expect(response.json.user_message).toMatch(/[\u4e00-\u9fff]/);
  });
});

/** Properties of the value at a reference path (API.md §5: `/variables/product_info.specs/properties`). */
import { expandProperties, valueAtPath } from '#domain/hints/index';
import { dataTypeOf } from '#domain/json';
import { parseReferencePath } from '#domain/references/grammar';
import type { JsonValue } from '#domain/json';

const VALUE: JsonValue = { specs: { color: 'black', storage: { size: 256 } }, items: [{ tags: ['a'] }, { tags: ['b', 'c'] }], price: 9 };

function at(path: string, maxDepth = 3, sensitive = false) {
  const parsed = parseReferencePath(path);
  if (!parsed.ok) throw new Error(`bad path ${path}`);
  const reached = valueAtPath(parsed.root, parsed.segments, VALUE, sensitive);
  if (!reached.ok) return reached;
  return {
    ok: true as const,
    data_type: dataTypeOf(reached.value),
    properties: expandProperties(path, reached.value, sensitive, maxDepth),
  };
}

test('entry paths extend the path as sent, nesting counts from the reached value', () => {
  expect(at('p.specs', 1)).toEqual({
    ok: true,
    data_type: 'object',
    properties: [
      { name: 'color', type: 'string', value: 'black', path: 'p.specs.color' },
      { name: 'storage', type: 'object', value: { size: 256 }, path: 'p.specs.storage' },
    ],
  });
  expect(at('p.specs', 2)).toMatchObject({ properties: [{}, { properties: [{ path: 'p.specs.storage.size' }] }] });
});

test('array elements by [n], [-n] and .n; arrays and scalars give []', () => {
  expect(at('p.items[-1]')).toMatchObject({ ok: true, properties: [{ path: 'p.items[-1].tags', value: ['b', 'c'] }] });
  expect(at('p.items.0')).toMatchObject({ ok: true, properties: [{ path: 'p.items.0.tags', value: ['a'] }] });
  expect(at('p.items')).toEqual({ ok: true, data_type: 'array', properties: [] });
  expect(at('p.price')).toEqual({ ok: true, data_type: 'number', properties: [] });
});

test('sensitive values stay masked below the path', () => {
  expect(at('p.specs', 1, true)).toMatchObject({ properties: [{ value: '******' }, { value: '******' }] });
});

test.each([
  ['p.spec', 'PROPERTY_NOT_FOUND'],
  ['p.items[2]', 'INDEX_OUT_OF_RANGE'],
  ['p.items.length', 'PROPERTY_NOT_FOUND'],
  ['p.toString', 'PROPERTY_NOT_FOUND'],
  ['p.price.x', 'TYPE_MISMATCH'],
  ['p.specs[0]', 'TYPE_MISMATCH'],
])('%s fails with %s, as the same ${…} would', (path, code) => {
  const result = at(path);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.failure.code).toBe(code);
});

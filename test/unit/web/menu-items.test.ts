/** The step editor's menu rows (web/src/editor/menu-items.ts). */
import { elementItems, previewOf, propertyItems, variableItems } from '../../../web/src/editor/menu-items';

const variable = (name: string, step: number) => ({
  name,
  data_type: 'string' as const,
  source_step_index: step,
  source_api_method: null,
  created_at: '',
  updated_at: '',
  preview_value: `"${name}"`,
});
const match = (name: string, score: number) => ({
  name,
  match_score: score,
  highlighted_name: name,
  data_type: 'number' as const,
  source_step_index: 0,
  preview_value: '1',
});

describe('variableItems', () => {
  const list = [variable('product_info', 0), variable('user', 1), variable('product_count', 2)];

  test('no query: the whole step-aware list, in its order', () => {
    expect(variableItems(list, '', undefined).map((item) => [item.label, item.step, item.match])).toEqual([
      ['product_info', 0, 'all'],
      ['user', 1, 'all'],
      ['product_count', 2, 'all'],
    ]);
  });

  test('prefix matches (any case) first, then fuzzy matches not already listed', () => {
    const items = variableItems(list, 'PROD', [match('product_count', 0.9), match('prod_x', 0.5)]);
    expect(items.map((item) => [item.label, item.match])).toEqual([
      ['product_info', 'prefix'],
      ['product_count', 'prefix'],
      ['prod_x', 'fuzzy'],
    ]);
  });
});

describe('propertyItems and elementItems', () => {
  test('keys the grammar can reach, filtered by prefix; long values use the service preview', () => {
    const items = propertyItems(
      [
        { name: 'price', type: 'number', value: 699, path: 'p.price' },
        { name: 'has space', type: 'string', value: 'x', path: 'p.has space' },
        { name: 'pic', type: 'string', value_truncated: true, preview_value: '"aaa..."', path: 'p.pic' },
        { name: 'name', type: 'string', value: 'Phone', path: 'p.name' },
      ],
      'p',
    );
    expect(items.map((item) => [item.label, item.preview])).toEqual([
      ['price', '699'],
      ['pic', '"aaa..."'],
    ]);
  });

  test('array elements replace the separator: [0], [-1]', () => {
    const items = elementItems(
      [
        { index: 0, dataType: 'object', value: { a: 1 } },
        { index: -1, dataType: 'object', value: {} },
      ],
      '',
    );
    expect(items.map((item) => [item.insert, item.replacesSeparator, item.preview])).toEqual([
      ['[0]', true, '{"a": ...}'],
      ['[-1]', true, '{}'],
    ]);
    expect(
      elementItems(
        [
          { index: 0, dataType: 'number', value: 1 },
          { index: -1, dataType: 'number', value: 2 },
        ],
        '-',
      ).map((item) => item.label),
    ).toEqual(['[-1]']);
  });
});

test('previewOf follows API.md §5 preview_value', () => {
  expect(previewOf(null)).toBe('null');
  expect(previewOf('a'.repeat(101))).toBe(`"${'a'.repeat(97)}..."`);
  expect(previewOf('😀'.repeat(100))).toBe(`"${'😀'.repeat(100)}"`);
  expect(previewOf([1, 2])).toBe('[2 items]');
  expect(previewOf({ a: 1, b: 2, c: 3, d: 4 })).toBe('{"a": ..., "b": ..., "c": ..., ...}');
  expect(previewOf(false)).toBe('false');
});

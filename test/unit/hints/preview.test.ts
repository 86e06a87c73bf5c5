import { previewValue } from '#domain/hints/preview';
import type { JsonValue } from '#domain/json';

describe('previewValue', () => {
  it.each<[string, JsonValue, string]>([
    ['null', null, 'null'],
    ['empty string', '', '""'],
    ['short string, raw between quotes', 'say "hi"\n', '"say "hi"\n"'],
    ['integer', 5, '5'],
    ['negative float', -2.5, '-2.5'],
    ['number as JS String(n)', 1e21, '1e+21'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['empty object', {}, '{}'],
    ['empty array', [], '[0 items]'],
    ['array counts elements only', [1, [2, 3], { a: 1 }], '[3 items]'],
    ['one-key object', { name: 'x' }, '{"name": ...}'],
    ['object with exactly three keys', { name: 1, price: 2, stock: 3 }, '{"name": ..., "price": ..., "stock": ...}'],
    ['object with four keys', { name: 1, price: 2, stock: 3, sku: 4 }, '{"name": ..., "price": ..., "stock": ..., ...}'],
    ['keys are JSON strings', { 'a"b': 1, 商品: 2 }, '{"a\\"b": ..., "商品": ...}'],
  ])('%s', (_label, value, expected) => {
    expect(previewValue(value, false)).toBe(expected);
  });

  it('keeps a string of exactly 100 code points whole', () => {
    const text = 'x'.repeat(100);
    expect(previewValue(text, false)).toBe(`"${text}"`);
  });

  it('cuts a 101 code point string to 97 code points and "..."', () => {
    const text = 'abcdefghij'.repeat(10) + 'Z';
    expect(previewValue(text, false)).toBe(`"${text.slice(0, 97)}..."`);
  });

  it('counts astral characters as one code point each (not UTF-16 units)', () => {
    const hundredEmoji = '😀'.repeat(100); // 200 UTF-16 units
    expect(previewValue(hundredEmoji, false)).toBe(`"${hundredEmoji}"`);
    const cut = previewValue('😀'.repeat(101), false);
    expect(cut).toBe(`"${'😀'.repeat(97)}..."`);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // never a split surrogate pair
  });

  it('names a __proto__ key as ordinary data', () => {
    const value = JSON.parse('{"__proto__": 1, "constructor": 2}') as JsonValue;
    expect(previewValue(value, false)).toBe('{"__proto__": ..., "constructor": ...}');
  });

  it.each<JsonValue>([null, 'secret', 42, true, { a: 1 }, [1, 2]])('masks %p when sensitive', (value) => {
    expect(previewValue(value, true)).toBe('"******"');
  });
});

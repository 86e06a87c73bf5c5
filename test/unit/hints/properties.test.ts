import { clampMaxDepth, expandProperties, suggestionProperties } from '#domain/hints/properties';
import type { JsonValue } from '#domain/json';

/** A string value whose compact JSON (with its two quotes) is exactly `bytes` UTF-8 bytes. */
function stringOfJsonBytes(bytes: number, unit = 'a'): string {
  return unit.repeat((bytes - 2) / Buffer.byteLength(unit));
}

describe('suggestionProperties', () => {
  it('lists top-level keys in insertion order with type, value and path', () => {
    expect(suggestionProperties('order', { id: 7, items: [1], meta: { a: 1 }, note: null, ok: true }, false)).toEqual([
      { name: 'id', type: 'number', value: 7, path: 'order.id' },
      { name: 'items', type: 'array', value: [1], path: 'order.items' },
      { name: 'meta', type: 'object', value: { a: 1 }, path: 'order.meta' },
      { name: 'note', type: 'null', value: null, path: 'order.note' },
      { name: 'ok', type: 'boolean', value: true, path: 'order.ok' },
    ]);
  });

  it('does not expand nested objects', () => {
    const [meta] = suggestionProperties('v', { meta: { a: { b: 1 } } }, false)!;
    expect(meta).not.toHaveProperty('properties');
  });

  it('gives [] for arrays and no list at all for scalars', () => {
    expect(suggestionProperties('v', [1, 2], false)).toEqual([]);
    expect(suggestionProperties('v', {}, false)).toEqual([]);
    for (const scalar of ['s', 1, true, null] as JsonValue[]) expect(suggestionProperties('v', scalar, false)).toBeUndefined();
  });

  it('treats __proto__ and constructor keys as data, never the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c"}') as JsonValue;
    expect(suggestionProperties('v', value, false)).toEqual([
      { name: '__proto__', type: 'object', value: { polluted: true }, path: 'v.__proto__' },
      { name: 'constructor', type: 'string', value: 'c', path: 'v.constructor' },
    ]);
    expect(suggestionProperties('v', { plain: 1 }, false)!.map((p) => p.name)).toEqual(['plain']);
  });

  it('keeps a value of exactly 1024 bytes and truncates one of 1025 bytes', () => {
    const atLimit = stringOfJsonBytes(1024);
    const overLimit = stringOfJsonBytes(1025);
    const [kept, truncated] = suggestionProperties('v', { kept: atLimit, truncated: overLimit }, false)!;
    expect(kept).toEqual({ name: 'kept', type: 'string', value: atLimit, path: 'v.kept' });
    expect(truncated).toEqual({
      name: 'truncated',
      type: 'string',
      value_truncated: true,
      preview_value: `"${overLimit.slice(0, 97)}..."`,
      path: 'v.truncated',
    });
    expect(truncated).not.toHaveProperty('value');
  });

  it('measures the limit in UTF-8 bytes of the compact JSON, not in characters', () => {
    const atLimit = '€'.repeat(340) + 'aa'; // 342 characters, 340·3 + 2 + 2 quotes = 1024 bytes
    const overLimit = stringOfJsonBytes(1025, '€'); // 341 characters, 1025 bytes
    const [kept, truncated] = suggestionProperties('v', { kept: atLimit, truncated: overLimit }, false)!;
    expect(kept.value).toBe(atLimit);
    expect(truncated.value_truncated).toBe(true);
  });

  it('previews a truncated object by its keys', () => {
    const big = { first: 'x'.repeat(600), second: 'y'.repeat(600), third: 1, fourth: 2 };
    const [hint] = suggestionProperties('v', { big }, false)!;
    expect(hint.preview_value).toBe('{"first": ..., "second": ..., "third": ..., ...}');
  });

  it('masks every value of a sensitive variable but keeps the keys, even for big values', () => {
    expect(suggestionProperties('cred', { user: 'bob', pass: 'x'.repeat(5000), n: 1 }, true)).toEqual([
      { name: 'user', type: 'string', value: '******', path: 'cred.user' },
      { name: 'pass', type: 'string', value: '******', path: 'cred.pass' },
      { name: 'n', type: 'number', value: '******', path: 'cred.n' },
    ]);
  });

  it('serializes fields in the contract order name, type, value, path', () => {
    const [hint] = suggestionProperties('v', { a: 1 }, false)!;
    expect(JSON.stringify(hint)).toBe('{"name":"a","type":"number","value":1,"path":"v.a"}');
  });
});

describe('expandProperties', () => {
  const value: JsonValue = { a: { b: { c: { d: 1 } } }, list: [{ x: 1 }], empty: {}, n: 1 };

  it('nests object entries while depth < max_depth (top level is depth 1)', () => {
    const [a] = expandProperties('v', value, false, 3);
    expect(a.path).toBe('v.a');
    expect(a.value).toEqual({ b: { c: { d: 1 } } });
    const [b] = a.properties!;
    expect(b).toMatchObject({ name: 'b', path: 'v.a.b', type: 'object' });
    const [c] = b.properties!;
    expect(c).toMatchObject({ name: 'c', path: 'v.a.b.c', value: { d: 1 } });
    expect(c).not.toHaveProperty('properties');
  });

  it('with max_depth 1 is the suggestion list', () => {
    expect(expandProperties('v', value, false, 1)).toEqual(suggestionProperties('v', value, false));
  });

  it('goes as deep as the data at max_depth 5', () => {
    const [a] = expandProperties('v', value, false, 5);
    expect(a.properties![0].properties![0].properties).toEqual([{ name: 'd', type: 'number', value: 1, path: 'v.a.b.c.d' }]);
  });

  it('does not expand arrays and omits empty nested lists', () => {
    const byName = Object.fromEntries(expandProperties('v', value, false, 5).map((p) => [p.name, p]));
    expect(byName.list).not.toHaveProperty('properties');
    expect(byName.empty).toEqual({ name: 'empty', type: 'object', value: {}, path: 'v.empty' });
  });

  it('gives [] for arrays and scalars', () => {
    for (const other of [[1, { a: 1 }], 'text', 3, false, null] as JsonValue[]) expect(expandProperties('v', other, false, 3)).toEqual([]);
  });

  it('masks nested values of a sensitive variable too', () => {
    const [a] = expandProperties('s', { a: { b: 'secret' } }, true, 3);
    expect(a).toEqual({
      name: 'a',
      type: 'object',
      value: '******',
      path: 's.a',
      properties: [{ name: 'b', type: 'string', value: '******', path: 's.a.b' }],
    });
  });

  it('nests under a truncated entry too', () => {
    const [big] = expandProperties('v', { big: { small: 1, blob: 'z'.repeat(2000) } }, false, 2);
    expect(big.value_truncated).toBe(true);
    expect(big.properties!.map((p) => [p.name, p.value_truncated ?? false])).toEqual([
      ['small', false],
      ['blob', true],
    ]);
  });

  it('expands __proto__ keys as data', () => {
    const [proto] = expandProperties('v', JSON.parse('{"__proto__": {"toString": 1}}') as JsonValue, false, 2);
    expect(proto.properties).toEqual([{ name: 'toString', type: 'number', value: 1, path: 'v.__proto__.toString' }]);
  });
});

describe('clampMaxDepth', () => {
  it.each([
    [-3, 1],
    [0, 1],
    [1, 1],
    [3, 3],
    [5, 5],
    [6, 5],
    [1000, 5],
  ])('%p → %p', (raw, clamped) => {
    expect(clampMaxDepth(raw)).toBe(clamped);
  });
});

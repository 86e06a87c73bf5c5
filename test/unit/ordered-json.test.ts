import fc from 'fast-check';
import { isIndexLikeKey, orderedObject, parseJson } from '#domain/ordered-json';
import { deepCopy } from '#domain/json';

/** Compact JSON text built from entry lists, so the intended key order is known exactly. */
const key = fc.oneof(
  fc.string(),
  fc.nat({ max: 5000 }).map(String),
  fc.constantFrom('__proto__', 'constructor', '0', '4294967294', '4294967295', '01'),
);
const jsonText: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }))
      .map((v) => JSON.stringify(v)),
    fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .uniqueArray(fc.tuple(key, tie('node')), { maxLength: 5, selector: ([k]) => k })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).node;

describe('parseJson keeps insertion order (API.md §3)', () => {
  it('gives back the same compact text for any JSON, integer-like keys included', () => {
    fc.assert(fc.property(jsonText, (text) => JSON.stringify(parseJson(text)) === text));
  });

  it('round-trips compact text exactly', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const normalized = JSON.stringify(parseJson(text));
        return JSON.stringify(parseJson(normalized)) === normalized && JSON.stringify(deepCopy(parseJson(text) as never)) === normalized;
      }),
    );
  });

  it('orders keys as written, even when they look like array indexes', () => {
    const value = parseJson('{"b":1,"2":2,"a":{"9":1,"x":0},"1":4}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['b', '2', 'a', '1']);
    expect(JSON.stringify(value)).toBe('{"b":1,"2":2,"a":{"9":1,"x":0},"1":4}');
  });

  it('is not fooled by key-like text inside strings and keeps __proto__ as data', () => {
    const value = parseJson('{"s":"\\"1\\": x","__proto__":{"1":1,"0":0}}') as Record<string, unknown>;
    expect(JSON.stringify(value)).toBe('{"s":"\\"1\\": x","__proto__":{"1":1,"0":0}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['1']).toBeUndefined();
  });

  it('treats only canonical array indexes as index-like', () => {
    expect(['0', '7', '4294967294'].every(isIndexLikeKey)).toBe(true);
    expect(['01', '-1', '4294967295', '1.5', ''].some(isIndexLikeKey)).toBe(false);
    expect(
      Object.keys(
        orderedObject([
          ['z', 1],
          ['3', 2],
        ]),
      ),
    ).toEqual(['z', '3']);
  });
});

/** The byte counts of the response budget equal JSON.stringify's (API.md §8), for any JSON value. */
import fc from 'fast-check';
import { jsonBytesUpTo, jsonStringBytes, OutputBudget } from '#domain/output-budget';
import type { JsonValue } from '#domain/json';

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Strings with escapes, controls, non-ASCII, astral characters and lone surrogates. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', '\\', '\n', '\u0001', '\u001f', '\u007f', '€', '😀', '\ud800', '\udfff', 'é'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(tricky, tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('jsonStringBytes', () => {
  it('is the UTF-8 length of JSON.stringify(text), lone surrogates included', () => {
    fc.assert(
      fc.property(tricky, (text) => jsonStringBytes(text) === utf8(JSON.stringify(text))),
      { numRuns: 2000 },
    );
  });

  it('stops early, returning more than the cap, once past it', () => {
    const big = 'x'.repeat(1_000_000);
    const counted = jsonStringBytes(big, 100);
    expect(counted).toBeGreaterThan(100);
    expect(counted).toBeLessThan(200);
  });
});

describe('jsonBytesUpTo', () => {
  it('is the §3 size of any value (UTF-8 bytes of its compact JSON)', () => {
    fc.assert(
      fc.property(json, (value) => jsonBytesUpTo(value) === utf8(JSON.stringify(value))),
      { numRuns: 2000 },
    );
  });

  it('is exact up to the cap and above the cap past it', () => {
    fc.assert(
      fc.property(json, fc.nat(200), (value, cap) => {
        const size = utf8(JSON.stringify(value));
        const counted = jsonBytesUpTo(value, cap);
        return size <= cap ? counted === size : counted > cap;
      }),
      { numRuns: 2000 },
    );
  });

  it('counts what JSON.stringify writes for fields left undefined: skipped in an object, null in an array', () => {
    const answer = { a: 1, b: undefined, c: [undefined, 2], d: { e: undefined } } as unknown as JsonValue;
    expect(jsonBytesUpTo(answer)).toBe(utf8(JSON.stringify(answer)));
  });

  it('counts -0 as "0" and keeps __proto__ keys as data', () => {
    expect(jsonBytesUpTo(-0)).toBe(1);
    const value = JSON.parse('{"__proto__":{"a":1}}') as JsonValue;
    expect(jsonBytesUpTo(value)).toBe(utf8(JSON.stringify(value)));
  });
});

describe('OutputBudget', () => {
  it('answers RESPONSE_TOO_LARGE with the answer limit (5 MiB) once past its own limit, not at it', () => {
    const budget = new OutputBudget(10);
    expect(budget.spend(10)).toBe(true);
    expect(() => budget.check()).not.toThrow();
    expect(budget.spend(1)).toBe(false);
    expect(() => budget.check()).toThrow(
      expect.objectContaining({ code: 'RESPONSE_TOO_LARGE', status: 413, details: { limit_bytes: 5 * 1024 * 1024 } }),
    );
  });
});

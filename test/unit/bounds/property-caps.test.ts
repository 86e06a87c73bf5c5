/** Property lists show at most 100 keys and the properties answer is counted exactly as it is built (API.md §5, §8). */
import fc from 'fast-check';
import { runToEnd } from '#domain/cooperative';
import { expandPropertiesSteps, suggestionListing, MAX_LISTED_PROPERTIES } from '#domain/hints/properties';
import type { JsonObject, JsonValue } from '#domain/json';
import { OutputBudget } from '#domain/output-budget';

const wide = (count: number, prefix = 'k'): JsonObject => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, i]));

describe('the 100-property cap', () => {
  it('suggestions list the first 100 keys, then properties_truncated', () => {
    const listing = suggestionListing('v', wide(250), false)!;
    expect(listing.truncated).toBe(true);
    expect(listing.properties).toHaveLength(MAX_LISTED_PROPERTIES);
    expect(listing.properties[99]).toEqual({ name: 'k99', type: 'number', value: 99, path: 'v.k99' });
    expect(suggestionListing('v', wide(100), false)!.truncated).toBe(false);
  });

  it('the properties endpoint caps every nested list and marks the entry', () => {
    const value = { a: wide(150), b: { c: wide(3) } };
    const listing = runToEnd(expandPropertiesSteps('v', value, false, 3));
    expect(listing.truncated).toBe(false);
    const [a, b] = listing.properties;
    expect(a.properties).toHaveLength(100);
    expect(a.properties_truncated).toBe(true);
    expect(b).not.toHaveProperty('properties_truncated');
    expect(Object.keys(a)).toEqual(['name', 'type', 'value_truncated', 'preview_value', 'path', 'properties', 'properties_truncated']);
  });
});

describe('the properties budget', () => {
  const key = fc.string({ unit: fc.constantFrom('a', 'é', '"', '😀', '\n'), minLength: 1, maxLength: 8 });
  const tree: fc.Arbitrary<JsonValue> = fc.letrec<{ node: JsonValue }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.integer(),
      fc.string({ maxLength: 1100 }),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(key, tie('node'), { maxKeys: 6 }),
    ),
  })).node;

  it('counts exactly the JSON bytes of the list it returns', () => {
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 8 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), (value, depth, sensitive) => {
        const budget = new OutputBudget(Infinity);
        const listing = runToEnd(expandPropertiesSteps('v', value, sensitive, depth, budget));
        expect(budget.spent).toBe(Buffer.byteLength(JSON.stringify(listing.properties), 'utf8'));
      }),
      { numRuns: 500 },
    );
  });

  it('throws RESPONSE_TOO_LARGE while building, long before listing everything', () => {
    // 100 × 100 × 100 entries of ~300 bytes (a 255-character name in every path): ~300 MB if built.
    const level = (depth: number): JsonValue =>
      depth === 0 ? 1 : Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, level(depth - 1)]));
    const value = level(3);
    const steps = expandPropertiesSteps('p'.repeat(255), value, false, 5, new OutputBudget());
    let built = 0;
    expect(() => {
      for (let next = steps.next(); !next.done; next = steps.next()) built++;
    }).toThrow(expect.objectContaining({ code: 'RESPONSE_TOO_LARGE' }));
    expect(built).toBeLessThan(30_000);
  });
});

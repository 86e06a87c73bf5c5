/** Lineage records are capped at 1,024 code points (API.md §4) and resolve stops at its output budget (§8). */
import fc from 'fast-check';
import { runToEnd } from '#domain/cooperative';
import type { JsonValue } from '#domain/json';
import { OutputBudget } from '#domain/output-budget';
import { capText, cappedRendering, compactJsonPrefix } from '#domain/references/capped-rendering';
import { renderText } from '#domain/references/evaluate';
import { recordJsonBytes, resolveParams, resolveParamsSteps, resolveText, resolveTextSteps } from '#domain/references/resolve';
import { lookupOf } from '../references/variables';

/** The contract's cut, written the obvious way: code points via Array.from. */
function expectedCap(text: string): { text: string; truncated: boolean } {
  const points = Array.from(text);
  return points.length > 1024 ? { text: points.slice(0, 1021).join('') + '...', truncated: true } : { text, truncated: false };
}

const unit = fc.oneof(
  fc.constantFrom('a', '"', '\\', '\n', '€', '😀', '\ud800', '\udc00'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const text = fc.oneof(fc.string({ unit, maxLength: 40 }), fc.string({ unit, minLength: 1000, maxLength: 1100 }));
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 30 }),
    fc.dictionary(fc.string({ unit, maxLength: 30 }), tie('value'), { maxKeys: 30 }),
  ),
})).value;

describe('the 1,024 code point cap', () => {
  it('capText cuts exactly as the contract says, never inside a surrogate pair', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(capText(t)).toEqual(expectedCap(t));
      }),
      { numRuns: 300 },
    );
  });

  it('cappedRendering equals capping the whole §4 rendering, for any value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(cappedRendering(value)).toEqual(expectedCap(renderText(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('compactJsonPrefix is a prefix of JSON.stringify at least as long as asked, or all of it', () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 1, max: 3000 }), (value, units) => {
        const full = JSON.stringify(value);
        const prefix = compactJsonPrefix(value, units);
        if (prefix !== full) {
          expect(prefix.length).toBeGreaterThanOrEqual(units);
          // A string cut to `units` units is quoted again (and a pair cut in two escaped), past the first `units`.
          expect(full.startsWith(prefix.slice(0, units))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a whole-field reference to a 1 MiB value records 1,024 code points, the output keeps the whole value', () => {
    const big = { pad: 'x'.repeat(1024 * 1024 - 20) };
    const lookup = lookupOf({ big, s: 'é'.repeat(5000) });
    const { params, records } = resolveParams({ a: '${big}', b: 'x ${s}' }, lookup, { stepIndex: 1 });
    expect(params).toEqual({ a: big, b: 'x ' + 'é'.repeat(5000) });
    expect(records[0].resolved_value).toBe(JSON.stringify(big).slice(0, 1021) + '...');
    expect(records[1].resolved_value).toBe('é'.repeat(1021) + '...');
    for (const record of records) {
      expect(record.resolved_value_truncated).toBe(true);
      expect(Array.from(record.resolved_value!)).toHaveLength(1024);
      expect(recordJsonBytes(record)).toBeLessThan(3 * 1024);
    }
    // Short values carry no flag at all.
    expect(resolveText('${s.length}', lookupOf({ s: [1] }), { stepIndex: 1 }).records[0]).not.toHaveProperty('resolved_value_truncated');
  });

  it('keeps the flag right after resolved_value', () => {
    const [record] = resolveText('${s}', lookupOf({ s: 'y'.repeat(2000) }), { stepIndex: 0 }).records;
    const keys = Object.keys(record);
    expect(keys[keys.indexOf('resolved_value') + 1]).toBe('resolved_value_truncated');
  });
});

describe('whole-field copies', () => {
  it('are equal to the stored value, key order and __proto__ keys included, and never alias it', () => {
    fc.assert(
      fc.property(json, (value) => {
        const stored = JSON.parse(JSON.stringify({ v: value, p: JSON.parse('{"__proto__":{"x":1},"0":2,"b":3}') })) as JsonValue;
        const { params } = resolveParams({ a: '${v}', b: '${p}' }, lookupOf({ v: (stored as any).v, p: (stored as any).p }), {
          stepIndex: 1,
        });
        const out = params as any;
        expect(JSON.stringify(out.a)).toBe(JSON.stringify((stored as any).v));
        expect(JSON.stringify(out.b)).toBe('{"0":2,"__proto__":{"x":1},"b":3}');
        expect(Object.getPrototypeOf(out.b)).toBe(Object.prototype);
        if (value !== null && typeof value === 'object') expect(out.a).not.toBe((stored as any).v);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the output budget', () => {
  const big = 'x'.repeat(1024 * 1024 - 2);
  const lookup = lookupOf({ big, obj: { pad: big.slice(0, 500_000) }, n: 1 });

  it('stops a params resolve once past 5 MiB, after ~6 references, not 1,000', () => {
    const steps = resolveParamsSteps(Array(1000).fill('${big}'), lookup, { stepIndex: 1, budget: new OutputBudget() });
    const resolution = runToEnd(steps);
    expect(resolution.complete).toBe(false);
    expect(resolution.records.length).toBeLessThanOrEqual(6);
  });

  it('stops a text resolve the same way', () => {
    const resolution = runToEnd(resolveTextSteps('${big}'.repeat(1000), lookup, { stepIndex: 1, budget: new OutputBudget() }));
    expect(resolution.complete).toBe(false);
    expect(resolution.records.length).toBeLessThanOrEqual(6);
  });

  it('within the budget, the result is the unbounded one', () => {
    const input = { a: '${obj}', b: ['${n}', 'v=${obj.pad} ${missing}'], c: 3 };
    const bounded = runToEnd(resolveParamsSteps(input, lookup, { stepIndex: 2, budget: new OutputBudget() }));
    expect(bounded).toEqual({
      complete: true,
      ...(({ params, records }) => ({ output: params, records }))(resolveParams(input, lookup, { stepIndex: 2 })),
    });
  });

  it('records-only mode evaluates every reference without building output', () => {
    const resolution = runToEnd(
      resolveParamsSteps(Array(1000).fill('${big}').concat(['${missing}']), lookup, {
        stepIndex: 1,
        budget: new OutputBudget(),
        substitute: false,
      }),
    );
    expect(resolution.complete).toBe(true);
    expect(resolution.records).toHaveLength(1001);
    expect(resolution.records[1000].error_code).toBe('VARIABLE_NOT_FOUND');
  });

  it('counts records too: long parameter names cannot multiply past the budget', () => {
    // 20 levels of 10 KiB keys above 100 leaves: each record's parameter_name is ~200 KiB.
    let params: JsonValue = Array(100).fill('${n}');
    for (let level = 0; level < 20; level++) params = { [String(level).repeat(10 * 1024)]: params };
    const resolution = runToEnd(resolveParamsSteps(params, lookup, { stepIndex: 1, budget: new OutputBudget() }));
    expect(resolution.complete).toBe(false);
    expect(resolution.records.length).toBeLessThan(30);
  });
});

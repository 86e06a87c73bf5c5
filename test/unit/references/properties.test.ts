import fc from 'fast-check';
import type { JsonValue } from '#domain/json';
import { evaluatePath } from '#domain/references/evaluate';
import { MAX_PATH_SEGMENTS, parseReferencePath, type PathSegment } from '#domain/references/grammar';
import { countReferences, resolveParams, resolveText } from '#domain/references/resolve';
import { validateReference } from '#domain/references/validate';
import { lookupOf } from './variables';

/** An object built through JSON.parse, so keys like `__proto__` are own data properties, as the API receives them. */
const objectFrom = (entries: Array<[string, JsonValue]>): JsonValue =>
  JSON.parse('{' + entries.map(([key, value]) => JSON.stringify(key) + ':' + JSON.stringify(value)).join(',') + '}');

const trickyKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'polluted', '0', '${a}'),
  fc.string({ maxLength: 6 }),
);
const names = ['a', 'b', 'obj', '__proto__', 'constructor', 'toString'];
const referenceText = fc.oneof(
  fc.constantFrom(...names).map((name) => '${' + name + '}'),
  fc.constantFrom(
    '${a.x}',
    '${obj.__proto__}',
    '${obj.__proto__.polluted}',
    '${obj.constructor.prototype}',
    '${b[0]}',
    '${b[-1]}',
    '${ a }',
    '${a',
    '$${a}',
    '${outer${a}}',
  ),
);
const leafString = fc.oneof(
  referenceText,
  fc.string({ maxLength: 8 }),
  fc.tuple(fc.string({ maxLength: 4 }), referenceText, fc.string({ maxLength: 4 })).map((parts) => parts.join('')),
);

/** JSON with references in string leaves and prototype-ish keys everywhere. */
const paramsArb: fc.Arbitrary<JsonValue> = fc.letrec<{ node: JsonValue }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(trickyKey, tie('node')), { maxLength: 4, selector: ([key]) => key }).map(objectFrom),
  ),
})).node;

const plainJson: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.jsonValue() as fc.Arbitrary<JsonValue>,
  fc.letrec<{ node: JsonValue }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('node'), { maxLength: 3 }),
      fc.uniqueArray(fc.tuple(trickyKey, tie('node')), { maxLength: 4, selector: ([key]) => key }).map(objectFrom),
    ),
  })).node,
);

const lookupArb = fc.tuple(plainJson, plainJson, plainJson).map(([a, b, obj]) =>
  lookupOf(
    objectFrom([
      ['a', a],
      ['b', b],
      ['obj', obj],
      ['__proto__', a],
      ['constructor', b],
    ]) as Record<string, JsonValue>,
  ),
);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze(Object.getOwnPropertyDescriptor(value, key)!.value);
    Object.freeze(value);
  }
  return value;
}

const withoutReferenceStart = (text: string) => !text.includes('${');

describe('properties', () => {
  it('a string without "${" comes back unchanged, in text and params mode', () => {
    const dollarHeavy = fc.string({ unit: fc.constantFrom('$', '{', '}', 'a', '.', '[', ']', ' ', '中', '\n') });
    fc.assert(
      fc.property(fc.oneof(dollarHeavy, fc.string({ unit: 'binary' })).filter(withoutReferenceStart), lookupArb, (text, lookup) => {
        expect(resolveText(text, lookup, { stepIndex: 0 })).toEqual({ text, records: [] });
        expect(resolveParams(text, lookup, { stepIndex: 0 })).toEqual({ params: text, records: [] });
      }),
    );
  });

  it('JSON without "${" comes back deep-equal with no records', () => {
    fc.assert(
      fc.property(
        plainJson.filter((value) => withoutReferenceStart(JSON.stringify(value))),
        lookupArb,
        (params, lookup) => {
          const { params: out, records } = resolveParams(params, lookup, { stepIndex: 0 });
          expect(JSON.stringify(out)).toBe(JSON.stringify(params));
          expect(records).toEqual([]);
        },
      ),
    );
  });

  it('resolving never mutates its input, and writes one record per scanned occurrence', () => {
    fc.assert(
      fc.property(paramsArb, lookupArb, (params, lookup) => {
        const before = JSON.stringify(params);
        deepFreeze(params);
        const { records } = resolveParams(params, lookup, { stepIndex: 1 });
        expect(JSON.stringify(params)).toBe(before);
        expect(records).toHaveLength(countReferences(params));
      }),
    );
  });

  it('substituted text is never scanned again', () => {
    // Values may themselves hold references to existing variables: rescanning would expand them.
    const piece = fc.array(fc.constantFrom('${v0}', '${v1}', '$', '{', '}', 'a', '.', ' '), { maxLength: 6 }).map((bits) => bits.join(''));
    const plain = fc.string({ unit: fc.constantFrom('{', '}', 'a', ' ', '.') });
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(plain, fc.nat()), { maxLength: 6 }),
        (values, parts) => {
          const entries = values.map((value, index): [string, JsonValue] => [`v${index}`, value]);
          const lookup = lookupOf(Object.fromEntries(entries));
          const text = parts.map(([chunk, pick]) => chunk + '${v' + (pick % values.length) + '}').join('');
          const expected = parts.map(([chunk, pick]) => chunk + values[pick % values.length]).join('');
          expect(resolveText(text, lookup, { stepIndex: 0 }).text).toBe(expected);
        },
      ),
    );
  });

  it('any JSON value comes back deep-equal through a whole-field reference', () => {
    fc.assert(
      fc.property(plainJson, (value) => {
        const lookup = lookupOf({ v: value });
        const { params } = resolveParams(
          objectFrom([
            ['field', '${v}'],
            ['list', ['${v}']],
          ]),
          lookup,
          { stepIndex: 0 },
        );
        const expected = JSON.stringify(value);
        expect(JSON.stringify((params as Record<string, JsonValue>).field)).toBe(expected);
        expect(JSON.stringify((params as Record<string, JsonValue[]>).list[0])).toBe(expected);
        expect(JSON.stringify(resolveParams('${v}', lookup, { stepIndex: 0 }).params)).toBe(expected);
        const validated = validateReference('${v}', { lookup, visibleNames: ['v'], stepIndex: undefined, language: 'en' });
        expect(validated.is_valid && JSON.stringify(validated.resolved_value)).toBe(expected);
      }),
    );
  });

  const root = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
  const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((text) => /^[^.[\]}\s]+$/.test(text));
  const digits = fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,25}$/)).map(([negative, number]) => (negative ? '-' : '') + number);
  const segment = fc.oneof(
    key.map((text): [string, PathSegment] => ['.' + text, { kind: 'key', key: text }]),
    digits.map((text): [string, PathSegment] => ['[' + text + ']', { kind: 'index', index: Number(text) || 0 }]),
  );
  const validPath = fc.tuple(root, fc.array(segment, { maxLength: MAX_PATH_SEGMENTS }));

  it('the parser accepts generated valid paths', () => {
    fc.assert(
      fc.property(validPath, ([rootName, segments]) => {
        const parsed = parseReferencePath(rootName + segments.map(([text]) => text).join(''));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.root).toBe(rootName);
        expect(
          parsed.segments.map(({ kind, ...rest }) =>
            kind === 'key' ? { kind, key: (rest as { key: string }).key } : { kind, index: (rest as { index: number }).index },
          ),
        ).toEqual(segments.map(([, expected]) => expected));
      }),
    );
  });

  it('the parser rejects generated invalid paths, naming the offending token', () => {
    const whitespace = fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', '\u3000');
    const badIndex = fc.string({ maxLength: 5 }).filter((text) => !/^-?[0-9]+$/.test(text));
    const prefix = validPath.map(([rootName, segments]) => rootName + segments.map(([text]) => text).join(''));
    const invalid = fc.oneof(
      prefix.map((path) => path + '.'),
      fc.tuple(prefix, key).map(([path, text]) => path + '..' + text),
      fc.tuple(prefix, badIndex).map(([path, text]) => path + '[' + text + ']'),
      fc.tuple(prefix, whitespace, key).map(([path, space, text]) => path + space + text),
      fc.tuple(prefix, fc.constantFrom(']', '}')).map(([path, char]) => path + char),
      fc.tuple(fc.stringMatching(/^[0-9]$/), prefix).map(([digit, path]) => digit + path),
      fc.tuple(whitespace, prefix).map(([space, path]) => space + path),
      fc.tuple(root, fc.constantFrom('|', ':', '-', '(', '$', '{', '@', '!')).map(([rootName, char]) => rootName + char),
      fc
        .tuple(root, fc.array(segment, { minLength: MAX_PATH_SEGMENTS + 1, maxLength: MAX_PATH_SEGMENTS + 3 }))
        .map(([rootName, segments]) => rootName + segments.map(([text]) => text).join('')),
    );
    fc.assert(
      fc.property(invalid, (content) => {
        const parsed = parseReferencePath(content);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.message).toContain(`'${parsed.token}'`);
      }),
    );
  });

  it('no input can add a property to Object.prototype', () => {
    const ownNames = Object.getOwnPropertyNames(Object.prototype).sort();
    fc.assert(
      fc.property(paramsArb, lookupArb, fc.string({ maxLength: 20 }), (params, lookup, text) => {
        const { params: out } = resolveParams(params, lookup, { stepIndex: 0 });
        resolveText(JSON.stringify(params) + text, lookup, { stepIndex: 0 });
        for (const reference of ['${obj.__proto__}', '${__proto__}', '${constructor.prototype}', text]) {
          validateReference(reference, { lookup, visibleNames: names, stepIndex: 1, language: 'zh' });
          evaluatePath(parseReferencePath(reference.slice(2, -1)), lookup);
        }
        if (typeof out === 'object' && out !== null && !Array.isArray(out)) expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(ownNames);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
    );
  });
});

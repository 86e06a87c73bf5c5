/** The DynamoDB item codec: what a head item and a payload give back (API.md §3 facts without a database). */
import fc from 'fast-check';
import { decodePayload, encodePayload, headFromItem, type HeadItem } from '#adapters/dynamo/item-codec';
import { compactJson, type JsonValue } from '#domain/json';
import { parseJson } from '#domain/ordered-json';

const key = fc.oneof(fc.string({ maxLength: 5 }), fc.nat({ max: 99 }).map(String), fc.constant('__proto__'));
const jsonText: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null))
      .map((v) => JSON.stringify(v)),
    fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .uniqueArray(fc.tuple(key, tie('node')), { maxLength: 5, selector: ([k]) => k })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).node;

const item = (inline: string | undefined): HeadItem => ({
  execution_id: 'p',
  sk: 'V#v',
  name: 'v',
  data_type: 'object',
  step: 3,
  method: null,
  version: 2,
  size_bytes: 10,
  sensitive: false,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:01.000Z',
  preview: '{}',
  rev: 'r1',
  chunks: 2,
  expires_at: 1,
  ...(inline === undefined ? {} : { inline }),
});

describe('payload codec', () => {
  it('gives back value and params exactly: key order (integer-like keys too), integers, doubles', () => {
    fc.assert(
      fc.property(jsonText, jsonText, (valueText, paramsText) => {
        const value = parseJson(valueText) as JsonValue;
        const payload = decodePayload(encodePayload(compactJson(value), paramsText.startsWith('{') ? paramsText : 'null'));
        expect(compactJson(payload.value)).toBe(compactJson(value));
      }),
    );
  });

  it('depth 64 round-trips', () => {
    const deep = `${'['.repeat(64)}1${']'.repeat(64)}`;
    expect(compactJson(decodePayload(encodePayload(deep, 'null')).value)).toBe(deep);
  });
});

describe('head items', () => {
  it('an inline payload is decoded in the head; a chunked one is left to loadPayload, with its revision and chunk count', () => {
    const inline = headFromItem('e1', item(encodePayload('{"b":1,"1":2}', '{"q":1}')));
    expect(compactJson(inline.payload!.value)).toBe('{"b":1,"1":2}');
    expect(inline).toMatchObject({ execution_id: 'e1', variable_name: 'v', source_step_index: 3, version: 2, payload_chunks: 0 });
    const chunked = headFromItem('e1', item(undefined));
    expect(chunked).toMatchObject({ payload: undefined, payload_rev: 'r1', payload_chunks: 2 });
  });
});

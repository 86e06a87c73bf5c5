/**
 * The suggestions answer in its two forms (API.md §5): /v1's, and the original editor's, whose items
 * also carry `preview`; both within the answer limit (§8), shedding properties from the last items.
 */
import fc from 'fast-check';
import { runToEnd } from '#domain/cooperative';
import { renderSuggestionsSteps, type SuggestionItem, type SuggestionsForm } from '#domain/hints/index';
import type { JsonValue } from '#domain/json';
import { parseJson } from '#domain/ordered-json';

const item = (name: string, keys: number, value: JsonValue = 'v'.repeat(50)): SuggestionItem => ({
  name,
  data_type: 'object',
  source_step_index: 0,
  source_api_method: null,
  created_at: 't',
  updated_at: 't',
  preview_value: `{"${name}": ...}`,
  properties: Array.from({ length: keys }, (_, i) => ({ name: `k${i}`, type: 'string', value, path: `${name}.k${i}` })),
});
const variables = [item('a', 5), item('b', 5), item('c', 5)];

const render = (form: SuggestionsForm, items: SuggestionItem[], limitBytes?: number): string =>
  runToEnd(renderSuggestionsSteps(form, { executionId: 'e', stepIndex: undefined, mode: 'full' }, items, limitBytes));

/** The editor's text with each item's `,"preview":…` (its last field) taken out. */
const withoutPreviews = (text: string): string => text.replace(/,"preview":"(?:[^"\\]|\\.)*"}/g, '}');

test('the /v1 answer: its fields in the contract order, items as given', () => {
  const text = render('standard', [item('a', 1)]);
  expect(text).toBe(
    '{"execution_id":"e","current_step_index":null,"variables":[{"name":"a","data_type":"object","source_step_index":0,' +
      '"source_api_method":null,"created_at":"t","updated_at":"t","preview_value":"{\\"a\\": ...}","properties":' +
      `[{"name":"k0","type":"string","value":"${'v'.repeat(50)}","path":"a.k0"}]}],"total_count":1,"mode":"full"}`,
  );
});

test("the editor's answer is the /v1 one with preview = preview_value as every item's last field", () => {
  const name = fc.string({ maxLength: 12 });
  const items = fc.array(
    fc.record({ name, preview: name, keys: fc.nat(3) }).map(({ name, preview, keys }) => ({ ...item(name, keys), preview_value: preview })),
    { maxLength: 6 },
  );
  fc.assert(
    fc.property(items, (generated) => {
      const editor = render('editor', generated);
      expect(withoutPreviews(editor)).toBe(render('standard', generated));
      const answer = parseJson(editor) as { variables: Array<Record<string, unknown>> };
      for (const shown of answer.variables) {
        expect(shown.preview).toBe(shown.preview_value);
        expect(Object.keys(shown).at(-1)).toBe('preview');
      }
    }),
  );
});

test("keys of listed values keep their order in the editor's answer too (integer-like keys included)", () => {
  const value = parseJson('{"name":"x","10":1,"2":2}') as JsonValue;
  const editor = render('editor', [item('a', 1, value)]);
  expect(editor).toContain('"value":{"name":"x","10":1,"2":2}');
});

test('past the limit, properties go from the last items first, marked properties_truncated, and the answer fits', () => {
  const limit = Buffer.byteLength(render('editor', variables)) - 20; // the previews push it 20 bytes over
  expect(Buffer.byteLength(render('standard', variables))).toBeLessThan(limit);
  const text = render('editor', variables, limit);
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(limit);
  const answer = parseJson(text) as { variables: Array<{ properties: unknown[]; properties_truncated?: true }> };
  expect(answer.variables.map((v) => [v.properties.length, v.properties_truncated ?? false])).toEqual([
    [5, false],
    [5, false],
    [0, true],
  ]);
  // The /v1 answer under the same limit sheds nothing.
  expect(render('standard', variables, limit)).toBe(render('standard', variables));
});

test('the byte count it keeps is exact: a limit of exactly the final size drops nothing more', () => {
  for (const form of ['standard', 'editor'] as const) {
    const full = render(form, variables);
    expect(render(form, variables, Buffer.byteLength(full))).toBe(full);
    const shed = render(form, variables, Buffer.byteLength(full) - 1);
    expect((parseJson(shed) as { variables: Array<{ properties_truncated?: true }> }).variables[2].properties_truncated).toBe(true);
  }
});

test("413 RESPONSE_TOO_LARGE when even the bare items do not fit, previews counted in the editor's form", () => {
  const bare = variables.map(({ properties: _properties, ...rest }) => rest);
  const limit = Buffer.byteLength(render('standard', bare));
  expect(render('standard', bare, limit)).toBeDefined();
  expect(() => render('editor', bare, limit)).toThrow(expect.objectContaining({ code: 'RESPONSE_TOO_LARGE', status: 413 }));
  expect(() => render('standard', variables, limit - 1)).toThrow(expect.objectContaining({ code: 'RESPONSE_TOO_LARGE' }));
});

/** The rule as API.md states it: render every item whole, then drop the last lists until the answer fits. */
function shedFromTheEnd(form: SuggestionsForm, items: SuggestionItem[], limit: number): string | 'too large' {
  const shown = items.map((entry) => ({ ...entry }));
  const text = () => render(form, shown, Number.MAX_SAFE_INTEGER);
  for (let index = shown.length - 1; index >= 0 && Buffer.byteLength(text()) > limit; index--) {
    if (shown[index].properties?.length) shown[index] = { ...shown[index], properties: [], properties_truncated: true };
  }
  return Buffer.byteLength(text()) > limit ? 'too large' : text();
}

test('built forward, the answer is the one shedding from the end gives, for any items and limit', () => {
  const generated = fc.array(
    fc.record({ name: fc.string({ maxLength: 6 }), keys: fc.nat(4), length: fc.nat(40), truncated: fc.boolean() }).map((shape) => {
      const entry = item(shape.name, shape.keys, 'x'.repeat(shape.length));
      return shape.truncated ? { ...entry, properties_truncated: true as const } : entry;
    }),
    { maxLength: 8 },
  );
  fc.assert(
    fc.property(generated, fc.constantFrom<SuggestionsForm>('standard', 'editor'), fc.nat(3000), (items, form, limit) => {
      const expected = shedFromTheEnd(form, items, limit);
      if (expected === 'too large')
        expect(() => render(form, items, limit)).toThrow(expect.objectContaining({ code: 'RESPONSE_TOO_LARGE' }));
      else expect(render(form, items, limit)).toBe(expected);
    }),
    { numRuns: 500 },
  );
});

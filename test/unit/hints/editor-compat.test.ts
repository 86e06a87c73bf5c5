/** The original editor's suggestions: `preview` on every item, and still within the answer limit. */
import { withEditorPreview } from '#domain/hints/editor-compat';

const item = (name: string, keys: number) => ({
  name,
  data_type: 'object',
  source_step_index: 0,
  source_api_method: null,
  created_at: 't',
  updated_at: 't',
  preview_value: `{"${name}": ...}`,
  properties: Array.from({ length: keys }, (_, i) => ({ name: `k${i}`, type: 'string', value: 'v'.repeat(50), path: `${name}.k${i}` })),
});
const answer = {
  execution_id: 'e',
  current_step_index: null,
  variables: [item('a', 5), item('b', 5), item('c', 5)],
  total_count: 3,
  mode: 'full',
};
const body = JSON.stringify(answer);

test('every item gains preview = preview_value; nothing else changes when it fits', () => {
  const result = JSON.parse(withEditorPreview(body));
  expect(result.variables.map((v: any) => v.preview)).toEqual(answer.variables.map((v) => v.preview_value));
  expect({ ...result, variables: result.variables.map(({ preview: _p, ...rest }: any) => rest) }).toEqual(answer);
});

test('past the limit, properties go from the last items first, marked properties_truncated, and the answer fits', () => {
  const limit = Buffer.byteLength(withEditorPreview(body)) - 100; // the previews push it 100 bytes over
  const text = withEditorPreview(body, limit);
  const result = JSON.parse(text);
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(limit);
  expect(result.variables.map((v: any) => [v.properties.length, v.properties_truncated ?? false])).toEqual([
    [5, false],
    [5, false],
    [0, true],
  ]);
});

test('the byte count it keeps is exact: a limit of exactly the final size drops nothing more', () => {
  const full = withEditorPreview(body);
  expect(withEditorPreview(body, Buffer.byteLength(full))).toBe(full);
  expect(JSON.parse(withEditorPreview(body, Buffer.byteLength(full) - 1)).variables[2].properties_truncated).toBe(true);
});

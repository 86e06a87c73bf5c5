/** The preview pane never shows a sensitive value (web/src/editor/masked-resolution.ts). */
import { maskedResolution } from '../../../web/src/editor/masked-resolution';

const record = (parameter_name: string, expression: string, resolved_value: string | null, status: 'success' | 'failed' = 'success') => ({
  step_index: 1,
  variable_name: expression.slice(2, -1),
  reference_path: expression.slice(2, -1),
  parameter_name,
  original_expression: expression,
  resolved_value,
  resolution_status: status,
  error_code: status === 'failed' ? 'VARIABLE_NOT_FOUND' : null,
  error_message: null,
  created_at: '',
});

test('leaves that read a sensitive variable are rebuilt from the masked records; the others stay typed', () => {
  // JSON.parse keeps "__proto__" as an ordinary key, as the page's JSON field does.
  const original = JSON.parse(
    '{"count": "${n}", "secret": "${key}", "header": "Bearer ${key} for ${user} ${nope}", "list": ' +
      '["${key}", "${n}"], "__proto__": "${key}"}',
  );
  const resolved = JSON.parse(
    '{"count": 42, "secret": "sk-1", "header": "Bearer sk-1 for Ann ${nope}", "list": ["sk-1", 42], "__proto__": "sk-1"}',
  );
  const records = [
    record('count', '${n}', '42'),
    record('secret', '${key}', '******'),
    record('header', '${key}', '******'),
    record('header', '${user}', 'Ann'),
    record('header', '${nope}', null, 'failed'),
    record('list[0]', '${key}', '******'),
    record('list[1]', '${n}', '42'),
    record('__proto__', '${key}', '******'),
  ];
  const shown = maskedResolution(original, resolved, records) as Record<string, unknown>;
  expect(JSON.stringify(shown)).toBe(
    '{"count":42,"secret":"******","header":"Bearer ****** for Ann ${nope}","list":["******",42],"__proto__":"******"}',
  );
  expect(JSON.stringify(shown)).not.toContain('sk-1');
});

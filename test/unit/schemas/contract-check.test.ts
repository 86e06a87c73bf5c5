/** The e2e suites' contract check rejects what the route table does not document. */
import { undocumentedAnswer } from '../../support/contract-check';

const headers = (values: Record<string, string> = {}) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
const METADATA = {
  execution_id: 'e',
  variable_name: 'x',
  data_type: 'number',
  source_step_index: 0,
  source_api_method: null,
  version: 1,
  size_bytes: 1,
  sensitive: false,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};
const PUT = '/api/v1/executions/e/variables/x';
const TYPES: Record<string, string> = {
  VARIABLE_NOT_FOUND: 'business_logic_error',
  PROPERTY_NOT_FOUND: 'business_logic_error',
  METHOD_NOT_ALLOWED: 'api_error',
  ROUTE_NOT_FOUND: 'api_error',
};
const error = (code: string, errorType = TYPES[code]) =>
  JSON.stringify({
    success: false,
    error: { code, error_type: errorType, message: 'm', details: {}, request_id: 'r', timestamp: '2026-01-01T00:00:00.000Z' },
    user_message: 'u',
    suggestions: [],
  });

test('a documented answer passes', () => {
  expect(undocumentedAnswer('PUT', PUT, 201, headers({ etag: '"1"' }), JSON.stringify(METADATA))).toBeUndefined();
  expect(undocumentedAnswer('GET', '/api/v1/executions/e/variables/x', 404, headers(), error('VARIABLE_NOT_FOUND'))).toBeUndefined();
  expect(undocumentedAnswer('DELETE', PUT, 204, headers(), '')).toBeUndefined();
});

test('an undocumented field, a missing required header or a wrong type fails', () => {
  expect(undocumentedAnswer('PUT', PUT, 201, headers({ etag: '"1"' }), JSON.stringify({ ...METADATA, extra: 1 }))).toMatch(
    /does not match/,
  );
  expect(undocumentedAnswer('PUT', PUT, 201, headers(), JSON.stringify(METADATA))).toMatch(/without its ETag/);
  expect(undocumentedAnswer('PUT', PUT, 201, headers({ etag: '"1"' }), JSON.stringify({ ...METADATA, version: '1' }))).toMatch(/version/);
});

test('a status the route does not list, or a code not listed for that status, fails', () => {
  expect(undocumentedAnswer('GET', '/api/v1/executions/e', 404, headers(), error('VARIABLE_NOT_FOUND'))).toMatch(/does not document/);
  expect(undocumentedAnswer('GET', '/api/v1/executions/e/variables/x', 404, headers(), error('PROPERTY_NOT_FOUND'))).toMatch(
    /does not match/,
  );
});

test('an error_type that does not go with its code fails', () => {
  expect(undocumentedAnswer('GET', '/api/v1/executions/e/variables/x', 404, headers(), error('VARIABLE_NOT_FOUND', 'api_error'))).toMatch(
    /error_type/,
  );
});

test('fallback answers: 405 needs Allow, 404 ROUTE_NOT_FOUND', () => {
  expect(undocumentedAnswer('PATCH', PUT, 405, headers(), error('METHOD_NOT_ALLOWED'))).toMatch(/Allow/);
  expect(undocumentedAnswer('PATCH', PUT, 405, headers({ allow: 'DELETE, GET, PUT' }), error('METHOD_NOT_ALLOWED'))).toBeUndefined();
  expect(undocumentedAnswer('GET', '/nowhere', 404, headers(), error('ROUTE_NOT_FOUND'))).toBeUndefined();
});

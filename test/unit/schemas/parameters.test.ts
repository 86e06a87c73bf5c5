/**
 * Query and header parameters coerce the raw strings a request carries, yet the OpenAPI document
 * (and so the typed client) shows the type a client sends: integers, booleans, lengths.
 */
import { openApiDocument } from '#schemas/openapi';

const document = JSON.parse(JSON.stringify(openApiDocument('0.0.0-test'))) as {
  paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string; required: boolean; schema: unknown }> }>>;
};

function parameter(path: string, method: string, name: string) {
  const found = document.paths[path][method].parameters.find((p) => p.name === name);
  if (!found) throw new Error(`${method} ${path} documents no ${name}`);
  return found;
}

const EXECUTION = '/api/v1/executions/{execution_id}';

describe('parameters in the OpenAPI document', () => {
  test('limit, step_index and max_depth are integers; flags are booleans; all optional', () => {
    expect(parameter(`${EXECUTION}/variables`, 'get', 'limit')).toMatchObject({ required: false, schema: { type: 'integer', minimum: 1 } });
    expect(parameter(`${EXECUTION}/variables`, 'get', 'include_values')).toMatchObject({ required: false, schema: { type: 'boolean' } });
    expect(parameter(`${EXECUTION}/variable-suggestions/search`, 'get', 'step_index')).toMatchObject({
      required: false,
      schema: { type: 'integer', minimum: 0, maximum: 100000 },
    });
    expect(parameter(`${EXECUTION}/variables/{variable_name}/properties`, 'get', 'max_depth')).toMatchObject({
      required: false,
      schema: { type: 'integer' },
    });
  });

  test('q is a required string of 1..100; If-Match is a string header', () => {
    expect(parameter(`${EXECUTION}/variable-suggestions/search`, 'get', 'q')).toMatchObject({
      required: true,
      schema: { type: 'string', minLength: 1, maxLength: 100 },
    });
    expect(parameter(`${EXECUTION}/variables/{variable_name}`, 'put', 'If-Match')).toMatchObject({
      in: 'header',
      required: false,
      schema: { type: 'string' },
    });
  });
});

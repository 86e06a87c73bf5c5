import * as z from 'zod';
import { ROUTES, type RouteDefinition } from '#functions/routes';
import { batchVariablesBody, namedVariableBody, putVariableBody, variableListing, variableMetadata, variableWithValue } from '#schemas/variables';
import { referenceRecord, resolveBody, validateBody } from '#schemas/references';

/** Request bodies and main responses per operation, from the zod schemas that validate requests. */
const BODIES: Record<string, z.ZodType> = {
  StoreVariable: putVariableBody,
  StoreVariables: z.union([namedVariableBody, batchVariablesBody]),
  Resolve: resolveBody,
  ValidateReferences: validateBody,
};

const RESPONSES: Record<string, z.ZodType> = {
  StoreVariable: variableMetadata,
  GetVariable: variableWithValue,
  ListVariables: variableListing,
  ListReferences: z.object({ execution_id: z.string(), references: z.array(referenceRecord), count: z.number().int(), next_cursor: z.string().nullable() }),
};

type Parameter = { name: string; in: 'query' | 'header'; required?: boolean; description: string; schema: Record<string, unknown> };

const query = (name: string, description: string, schema: Record<string, unknown>, required = false): Parameter => ({ name, in: 'query', required, description, schema });
const limit = (max: number | undefined, description: string): Parameter => query('limit', description, { type: 'integer', minimum: 1, ...(max ? { maximum: max } : {}) });
const cursor = query('cursor', 'next_cursor of the previous page', { type: 'string' });
const flag = (name: string, description: string): Parameter => query(name, `${description}; only the string "true" in any letter case means true`, { type: 'string' });

/** Query parameters per operation (the handlers read them with API.md §5's loose or strict rules). */
const QUERY: Record<string, Parameter[]> = {
  ListVariables: [limit(1000, 'Page size, default 100; above 1000 is clamped'), cursor, flag('include_values', 'Add each value (a page also ends after 4 MiB of values)')],
  GetSuggestions: [
    query('step_index', 'Only variables from earlier steps; a non-integer is treated as absent', { type: 'string' }),
    flag('include_properties', 'Top-level properties of objects (default true)'),
    query('limit', 'Cut after ordering; a non-positive or non-integer value is ignored', { type: 'string' }),
  ],
  SearchVariables: [
    query('q', 'What was typed (1..100 code points after trimming)', { type: 'string', minLength: 1 }, true),
    limit(50, 'Default 10; above 50 is clamped'),
    query('step_index', 'Only variables from earlier steps', { type: 'integer', minimum: 0, maximum: 100000 }),
  ],
  GetProperties: [query('max_depth', 'Nesting to expand, default 3, clamped to 1..5', { type: 'integer' })],
  ListReferences: [
    query('step_index', 'Only this step', { type: 'integer', minimum: 0, maximum: 100000 }),
    query('status', 'Only this outcome', { type: 'string', enum: ['success', 'failed'] }),
    query('variable_name', 'Only this root variable', { type: 'string' }),
    limit(1000, 'Page size, default 100; above 1000 is clamped'),
    cursor,
  ],
};

const ifMatch: Parameter = { name: 'If-Match', in: 'header', description: 'Write only if the stored version is this one (a bare or quoted integer); 412 otherwise', schema: { type: 'string' } };
const idempotencyKey: Parameter = {
  name: 'Idempotency-Key', in: 'header', description: 'A repeat within an hour returns the first 2xx answer and writes nothing (1..255 printable ASCII)', schema: { type: 'string', minLength: 1, maxLength: 255 },
};
const acceptLanguage: Parameter = { name: 'Accept-Language', in: 'header', description: 'en (default) or zh for user_message, suggestions and validation texts', schema: { type: 'string' } };

const HEADERS: Record<string, Parameter[]> = {
  StoreVariable: [ifMatch, idempotencyKey],
  StoreVariables: [ifMatch, idempotencyKey],
  DeleteVariable: [ifMatch, idempotencyKey],
  DeleteExecution: [idempotencyKey],
};

/** Success statuses other than a plain 200. */
const SUCCESS: Record<string, string[]> = {
  StoreVariable: ['201', '200'],
  StoreVariables: ['200', '201'],
  DeleteVariable: ['204'],
  DeleteExecution: ['204'],
};

const errorShape = z.object({
  success: z.literal(false),
  error: z.object({
    code: z.string(), error_type: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()), request_id: z.string(), timestamp: z.string(),
  }),
  user_message: z.string(),
  suggestions: z.array(z.string()),
}).meta({ id: 'Error' });

function jsonSchema(schema: z.ZodType): unknown {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function operation(route: RouteDefinition) {
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const parameters = [
    ...pathParameters, ...(QUERY[route.operation] ?? []), ...(HEADERS[route.operation] ?? []), ...(route.authenticated ? [acceptLanguage] : []),
  ];
  const body = BODIES[route.operation];
  const response = RESPONSES[route.operation];
  const success = Object.fromEntries(
    (SUCCESS[route.operation] ?? ['200']).map((status) => [
      status,
      status === '204'
        ? { description: 'Done; no body' }
        : { description: status === '201' ? 'Created' : 'Success', content: { 'application/json': { schema: response ? jsonSchema(response) : { type: 'object' } } } },
    ]),
  );
  return {
    operationId: route.operation,
    ...(route.authenticated ? {} : { security: [] }),
    parameters,
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } } : {}),
    responses: {
      ...success,
      default: { description: 'Error (one shape, see API.md §2)', content: { 'application/json': { schema: jsonSchema(errorShape) } } },
    },
  };
}

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Variable data-flow service', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

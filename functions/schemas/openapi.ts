import { z } from 'zod';
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
  const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const body = BODIES[route.operation];
  const response = RESPONSES[route.operation];
  return {
    operationId: route.operation,
    ...(route.authenticated ? {} : { security: [] }),
    parameters,
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } } : {}),
    responses: {
      '200': { description: 'Success', content: { 'application/json': { schema: response ? jsonSchema(response) : { type: 'object' } } } },
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

/**
 * GET /api/openapi.json, generated from the route table (functions/routes.ts) and nothing else:
 *
 * 1. Every schema registered in `contractRegistry` becomes one `components.schemas` entry, converted
 *    by zod's own JSON Schema output — request bodies as their input type (defaults optional),
 *    answers as their output type. A component needed on both sides must read the same either way.
 * 2. Each route becomes one operation: its path, query and header parameters from the entry's zod
 *    objects, its body, every success status with its schema and headers, and every error status
 *    the entry lists with the error shape restricted to that status's codes (an enum).
 * 3. Answers of the fallback (404 ROUTE_NOT_FOUND, 405 with Allow) are the same on every path, so
 *    they are written once under `components.responses`.
 *
 * The document is built once per instance; only this route's handler imports this file.
 */
import * as z from 'zod/mini';
import { ERROR_CATALOG, type ErrorCode } from '#domain/errors';
import { ERROR_STATUS_HEADERS, FALLBACK_ERRORS, ROUTES, type HeaderContract, type RouteDefinition } from '#functions/routes';
import { errorBody, errorTypesOf } from '#schemas/errors';
import { contractRegistry, documentedKeywords } from '#schemas/registry';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

const COMPONENT_REF = '#/components/schemas/';

/** zod writes ±2^53-1 bounds on every integer; they say nothing a reader needs. Keywords a schema documents are added. */
function adjust({ zodSchema, jsonSchema }: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  Object.assign(jsonSchema, documentedKeywords.get(zodSchema as z.ZodMiniType));
}
const uri = (id: string): string => `${COMPONENT_REF}${id}`;

/** JSON Schema of one schema; registered sub-schemas become `$ref`s to their components. */
function schemaOf(schema: z.ZodMiniType, io: Io): JsonSchema {
  const id = contractRegistry.get(schema)?.id;
  if (id !== undefined) return { $ref: uri(id) };
  const {
    $schema: _dialect,
    $defs: defs,
    ...json
  } = z.toJSONSchema(schema, { io, metadata: contractRegistry, unrepresentable: 'any', override: adjust }) as JsonSchema;
  for (const name of Object.keys((defs as JsonSchema | undefined) ?? {})) {
    if (!contractRegistry._idmap.has(name))
      throw new Error(`OpenAPI: an inline schema has an unregistered shared part '${name}'; register it as a component`);
  }
  // zod writes registered parts as local `$defs`; in the document they are the shared components.
  return JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', `"${COMPONENT_REF}`)) as JsonSchema;
}

function componentsOf(io: Io): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(contractRegistry, { io, uri, unrepresentable: 'any', override: adjust });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, json]) => {
      const { $schema: _dialect, $id: _id, ...rest } = json as JsonSchema;
      return [id, rest];
    }),
  );
}

/** Ids of the components `roots` refer to, directly or through other components. */
function referencedComponents(roots: unknown[], components: Record<string, JsonSchema>): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF)) {
        const id = value.slice(COMPONENT_REF.length);
        if (!found.has(id)) {
          found.add(id);
          visit(components[id]);
        }
      } else visit(value);
    }
  };
  roots.forEach(visit);
  return found;
}

/** The error shape with `error.code` limited to `codes` (each documented status gets its own enum). */
function errorSchema(codes: readonly ErrorCode[]): JsonSchema {
  return {
    allOf: [
      schemaOf(errorBody, 'output'),
      {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code'],
            properties: { code: { type: 'string', enum: [...codes] }, error_type: { type: 'string', enum: errorTypesOf(codes) } },
          },
        },
      },
    ],
  };
}

function headersOf(headers: Record<string, HeaderContract> | undefined): JsonSchema | undefined {
  if (!headers || Object.keys(headers).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(headers).map(([name, header]) => [
      name,
      { description: header.description, ...(header.required ? { required: true } : {}), schema: schemaOf(header.schema, 'output') },
    ]),
  );
}

function parametersOf(place: 'path' | 'query' | 'header', object: z.ZodMiniObject | undefined): JsonSchema[] {
  if (!object) return [];
  return Object.entries(object.shape).map(([name, field]) => {
    const schema = field as z.ZodMiniType;
    const json = schemaOf(schema, 'input');
    // A description given on the optional wrapper is not carried into its JSON Schema: read it here.
    const { description = z.globalRegistry.get(schema)?.description, ...rest } = json;
    const optional = schema.safeParse(undefined).success;
    return { name, in: place, required: place === 'path' || !optional, ...(description ? { description } : {}), schema: rest };
  });
}

/** Error codes of a route grouped by HTTP status. */
export function errorCodesByStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function operationOf(route: RouteDefinition): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const headers = headersOf(response.headers);
    responses[status] = {
      description: response.description,
      ...(headers ? { headers } : {}),
      ...(response.body ? { content: { 'application/json': { schema: schemaOf(response.body, 'output') } } } : {}),
    };
  }
  for (const [status, codes] of errorCodesByStatus(route.errors)) {
    const errorBody = errorSchema(codes);
    const existing = responses[status] as { content?: { 'application/json': { schema: JsonSchema } } } | undefined;
    if (existing?.content) {
      // A status that is both an answer and an error (health's 503 "down" vs 503 OVERLOADED).
      existing.content['application/json'].schema = { oneOf: [existing.content['application/json'].schema, errorBody] };
      continue;
    }
    const headers = headersOf(ERROR_STATUS_HEADERS[status]);
    responses[status] = {
      description: `Error: ${codes.join(', ')}`,
      ...(headers ? { headers } : {}),
      content: { 'application/json': { schema: errorBody } },
    };
  }
  // Anything the catalog has but this route does not list (a proxy's answer, a newer code) still has the one shape.
  responses.default = {
    description: 'Any other error, in the one error shape',
    content: { 'application/json': { schema: schemaOf(errorBody, 'output') } },
  };
  const body = route.request.body;
  return {
    operationId: route.operation,
    summary: route.summary,
    tags: [route.path.startsWith('/api/executions/') ? 'compatibility' : route.authenticated ? 'executions' : 'service'],
    ...(route.authenticated ? {} : { security: [] }),
    parameters: [
      ...parametersOf('path', route.request.path?.schema),
      ...parametersOf('query', route.request.query?.schema),
      ...parametersOf('header', route.request.headers?.schema),
    ],
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(body, 'input') } } } } : {}),
    responses,
  };
}

/** HEAD is served on every GET route (RFC 9110 §9.3.2): the same statuses and headers, no body. */
function headOperationOf(get: JsonSchema): JsonSchema {
  const responses = Object.fromEntries(
    Object.entries(get.responses as Record<string, JsonSchema>).map(([status, { content: _body, ...response }]) => [status, response]),
  );
  return { ...get, operationId: `${get.operationId as string}Head`, summary: `${get.summary as string} (headers only)`, responses };
}

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operationOf(route);
    if (route.method === 'GET') paths[route.path].head = headOperationOf(paths[route.path].get);
  }
  const fallbackResponses = {
    RouteNotFound: {
      description: 'No route has this path (any method)',
      content: { 'application/json': { schema: errorSchema(['ROUTE_NOT_FOUND']) } },
    },
    MethodNotAllowed: {
      description: 'The path exists but does not serve this method',
      headers: headersOf(ERROR_STATUS_HEADERS[405]),
      content: { 'application/json': { schema: errorSchema(['METHOD_NOT_ALLOWED']) } },
    },
  };

  // Request-side components read as inputs, the rest as outputs; a shared one must agree.
  const inputs = componentsOf('input');
  const outputs = componentsOf('output');
  const requestSide = referencedComponents(
    Object.values(paths).flatMap((item) => Object.values(item).map((operation) => [operation.requestBody, operation.parameters])),
    inputs,
  );
  const responseSide = referencedComponents(
    [...Object.values(paths).flatMap((item) => Object.values(item).map((operation) => operation.responses)), fallbackResponses],
    outputs,
  );
  const schemas: Record<string, JsonSchema> = {};
  for (const id of [...requestSide, ...responseSide].sort()) {
    if (requestSide.has(id) && responseSide.has(id) && JSON.stringify(inputs[id]) !== JSON.stringify(outputs[id])) {
      throw new Error(`OpenAPI: component '${id}' reads differently as a request and as a response; split it`);
    }
    const schema = requestSide.has(id) ? inputs[id] : outputs[id];
    if (schema === undefined) throw new Error(`OpenAPI: '${id}' is referenced but not registered`);
    schemas[id] = schema;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Variable data-flow service',
      version,
      description:
        "Stores test-execution variables, resolves ${…} references, records lineage and feeds the step editor's smart hints. " +
        `Any path answers 404 ROUTE_NOT_FOUND when no route has it, and 405 METHOD_NOT_ALLOWED (with Allow) for ` +
        `a method it does not serve; without a valid token those are 401 (codes: ${FALLBACK_ERRORS.join(', ')}).`,
      license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
    },
    servers: [{ url: '/', description: 'This service' }],
    tags: [
      { name: 'executions', description: 'Variables, hints, resolution and lineage of one execution' },
      { name: 'compatibility', description: 'The paths the original step editor calls (no /v1)' },
      { name: 'service', description: 'Health and this document; no token needed' },
    ],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API_TOKEN when the service sets one' } },
      schemas,
      responses: fallbackResponses,
    },
  };
}

/**
 * The one route table. Each entry is a route's whole contract: method and path, the handler and
 * its Lambda settings, whether it is authenticated, the zod schemas of its path parameters, query,
 * headers and body, and every status it can answer — success bodies and headers, and the error
 * codes per status. From it are derived:
 *   - the CDK stack (an API Gateway route, a Lambda function and its IAM role per entry),
 *   - the local server's routing (the same handler exports),
 *   - GET /api/openapi.json (functions/schemas/openapi.ts) and so the typed client (clients/typescript),
 *   - the e2e suites' check that every real answer matches what is documented for its status.
 */
import * as z from 'zod/mini';
import type { ErrorCode } from '#domain/errors';
import { SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from '#domain/hints/search';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '#services/variables';
import { executionDeleting, executionSummary } from '#schemas/executions';
import { compatSuggestions, searchResult, suggestions, variableProperties } from '#schemas/hints';
import {
  acceptLanguageParameter,
  cursorParameter,
  executionIdParameter,
  flagParameter,
  idempotencyKeyParameter,
  ifMatchParameter,
  limitParameter,
  looseLimitParameter,
  looseStepIndexParameter,
  maxDepthParameter,
  nameOrPathParameter,
  parameterSet,
  type ParameterSet,
  searchQueryParameter,
  statusParameter,
  stepIndexParameter,
  variableNameFilterParameter,
  variableNameParameter,
} from '#schemas/parameters';
import {
  parseResolveBody,
  parseValidateBody,
  referenceListing,
  resolveBody,
  resolveResult,
  validateBody,
  validationResults,
} from '#schemas/references';
import { health, openApiDocumentSchema } from '#schemas/service';
import {
  putVariableBody,
  storeVariablesBody,
  variableBatchResult,
  variableListing,
  variableMetadata,
  variableWithValue,
} from '#schemas/variables';
import { parsePutBody, parseStoreVariablesBody } from '#schemas/writes';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';

/** A response header the service sends with a status. */
export interface HeaderContract {
  description: string;
  schema: z.ZodMiniType;
  /** Sent with every answer of that status (otherwise only with some, e.g. ETag of a single POST). */
  required?: boolean;
}

interface ResponseContract {
  description: string;
  /** The JSON body; absent for 204. */
  body?: z.ZodMiniType;
  headers?: Record<string, HeaderContract>;
}

/** What a route's body parser may read besides the body: the (valid) path parameters and the raw headers. */
interface BodyContext {
  pathParameters: Readonly<Record<string, string>>;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string | undefined>>;
}

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path template; `{name}` is one path segment. */
  path: string;
  /** Module under functions/handlers/ (no extension) that exports `handler`. */
  handler: string;
  /** Metric and log name of the operation; also the function's logical id and the OpenAPI operationId. */
  operation: string;
  /** One line for the OpenAPI document. */
  summary: string;
  /** Whether API_TOKEN (locally) or IAM (in AWS) protects the route. */
  authenticated: boolean;
  /** Lambda memory in MB; large-payload routes get more CPU with it. */
  memoryMb?: number;
  /** Parsed in this order (functions/middleware/route-request.ts): path, the JSON envelope of the body, query, body, headers. */
  request: {
    /** One key per `{name}` of the path. */
    path?: ParameterSet;
    query?: ParameterSet;
    /** Header names as sent (`If-Match`); HTTP header names are case-insensitive. */
    headers?: ParameterSet;
    /** The documented JSON body. */
    body?: z.ZodMiniType;
    /**
     * Turns the JSON body into the handler's input where the schema alone does not say it all (value
     * rules, a batch, a header that changes what the body may be). Without it the body schema parses.
     */
    parseBody?: (json: unknown, request: BodyContext) => unknown;
  };
  /** Success (and other non-error) answers by status. */
  responses: Record<number, ResponseContract>;
  /** Every error code this route can answer with; the status of each comes from the error catalog. */
  errors: readonly ErrorCode[];
}

/** Keeps the entry's own types (its schemas, its statuses) for the handler's typed input and output. */
const route = <R extends RouteDefinition>(definition: R): R => definition;

// ---- Shared pieces of the contract -------------------------------------------------------------

const RETRY_AFTER = {
  description: 'Seconds to wait before retrying',
  schema: z.string().check(z.regex(/^\d+$/)),
  required: true,
} as const satisfies HeaderContract;
const ETAG = {
  description: 'The variable\'s version, quoted (e.g. "3"); send it back in If-Match',
  schema: z.string().check(z.regex(/^"\d+"$/)),
  required: true,
} as const satisfies HeaderContract;
const BATCH_ETAG = {
  ...ETAG,
  description: `${ETAG.description}. Only when one variable was stored, not for a batch`,
  required: false,
} as const satisfies HeaderContract;
const WWW_AUTHENTICATE: HeaderContract = { description: 'Always `Bearer`', schema: z.literal('Bearer'), required: true };
const ALLOW: HeaderContract = { description: 'The methods this path serves, e.g. `GET, PUT`', schema: z.string(), required: true };

/** Headers every answer with this error status carries. */
export const ERROR_STATUS_HEADERS: Record<number, Record<string, HeaderContract>> = {
  401: { 'WWW-Authenticate': WWW_AUTHENTICATE },
  405: { Allow: ALLOW },
  // REQUEST_IN_PROGRESS: the first request with this Idempotency-Key is still running.
  409: { 'Retry-After': RETRY_AFTER },
  429: { 'Retry-After': RETRY_AFTER },
  503: { 'Retry-After': RETRY_AFTER },
};

const EXECUTION_PATH = parameterSet({ execution_id: executionIdParameter });
const VARIABLE_PATH = parameterSet({ execution_id: executionIdParameter, variable_name: variableNameParameter });
const PROPERTIES_PATH = parameterSet({ execution_id: executionIdParameter, variable_name: nameOrPathParameter });

const READ_HEADERS = parameterSet({ 'Accept-Language': acceptLanguageParameter });
const WRITE_HEADERS = parameterSet({
  'Accept-Language': acceptLanguageParameter,
  'If-Match': ifMatchParameter,
  'Idempotency-Key': idempotencyKeyParameter,
});
const DELETE_EXECUTION_HEADERS = parameterSet({ 'Accept-Language': acceptLanguageParameter, 'Idempotency-Key': idempotencyKeyParameter });

const SUGGESTIONS_QUERY = parameterSet({
  step_index: looseStepIndexParameter,
  include_properties: flagParameter(true, 'Top-level properties of objects and arrays (default true)'),
  limit: looseLimitParameter,
});
const PROPERTIES_QUERY = parameterSet({ max_depth: maxDepthParameter });

/** Failures any route may answer, whatever it does (API.md §2, §8). */
function commonErrors(options: { authenticated: boolean; database: boolean; rateLimited: boolean }): ErrorCode[] {
  return [
    ...(options.authenticated ? (['UNAUTHORIZED'] as const) : []),
    // API Gateway's (and the local server's) own request limit, before any function runs.
    'PAYLOAD_TOO_LARGE',
    'RESPONSE_TOO_LARGE',
    ...(options.rateLimited ? (['RATE_LIMITED'] as const) : []),
    ...(options.database ? (['SERVICE_UNAVAILABLE'] as const) : []),
    'OVERLOADED',
    'TIMEOUT',
    'INTERNAL_ERROR',
  ];
}

const READ_ERRORS: ErrorCode[] = ['INVALID_EXECUTION_ID', ...commonErrors({ authenticated: true, database: true, rateLimited: true })];
/** A JSON body was read: its media type, syntax and size. */
const BODY_ERRORS: ErrorCode[] = ['INVALID_REQUEST', 'INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE'];
const IDEMPOTENCY_ERRORS: ErrorCode[] = ['INVALID_REQUEST', 'REQUEST_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'];
/** What a PUT or POST of variables can answer. */
const WRITE_ERRORS: ErrorCode[] = [
  ...READ_ERRORS,
  ...BODY_ERRORS,
  ...IDEMPOTENCY_ERRORS,
  'INVALID_VARIABLE_NAME',
  'INVALID_STEP_INDEX',
  'VERSION_MISMATCH',
  'VALUE_TOO_LARGE',
];

const EXECUTION = '/api/v1/executions/{execution_id}';
/** The original step editor's paths (API.md §5 "Compatibility with the original step editor"). */
const COMPAT_EXECUTION = '/api/executions/{execution_id}';

/** A documented answer; its headers' names and `required` flags stay in its type, so respond() can demand them. */
const ok = <B extends z.ZodMiniType, H extends Record<string, HeaderContract> = Record<never, HeaderContract>>(
  description: string,
  body: B,
  headers?: H,
): { description: string; body: B; headers?: H } => ({ description, body, ...(headers ? { headers } : {}) });

function propertiesRoute(path: string, handler: string, operation: string, summary: string) {
  return route({
    method: 'GET',
    path,
    handler,
    operation,
    summary,
    authenticated: true,
    request: { path: PROPERTIES_PATH, query: PROPERTIES_QUERY, headers: READ_HEADERS },
    responses: { 200: ok('Properties of the value at the name or path', variableProperties) },
    errors: [...READ_ERRORS, 'INVALID_REQUEST', 'INVALID_VARIABLE_NAME', 'VARIABLE_NOT_FOUND', 'PROPERTY_NOT_FOUND'],
  });
}

/** The suggestions and its twin for the original editor: the same request, each its own answer form. */
function suggestionsRoute<A extends ReturnType<typeof ok>>(path: string, handler: string, operation: string, summary: string, answer: A) {
  return route({
    method: 'GET',
    path,
    handler,
    operation,
    summary,
    authenticated: true,
    memoryMb: 1024,
    request: { path: EXECUTION_PATH, query: SUGGESTIONS_QUERY, headers: READ_HEADERS },
    responses: { 200: answer },
    errors: READ_ERRORS,
  });
}

/** Every route by its operation: `ROUTE.StoreVariable` is that entry with its own types. */
export const ROUTE = {
  StoreVariable: route({
    method: 'PUT',
    path: `${EXECUTION}/variables/{variable_name}`,
    handler: 'variables/put-variable',
    operation: 'StoreVariable',
    summary: 'Store a variable (create or overwrite)',
    authenticated: true,
    memoryMb: 1024,
    request: {
      path: VARIABLE_PATH,
      headers: WRITE_HEADERS,
      body: putVariableBody,
      parseBody: (json, { pathParameters }) => parsePutBody(json, pathParameters.variable_name),
    },
    responses: { 201: ok('Created', variableMetadata, { ETag: ETAG }), 200: ok('Overwritten', variableMetadata, { ETag: ETAG }) },
    errors: WRITE_ERRORS,
  }),
  StoreVariables: route({
    method: 'POST',
    path: `${EXECUTION}/variables`,
    handler: 'variables/post-variables',
    operation: 'StoreVariables',
    summary: 'Store one named variable (as PUT) or a batch of 1 to 100',
    authenticated: true,
    memoryMb: 1024,
    request: {
      path: EXECUTION_PATH,
      headers: WRITE_HEADERS,
      body: storeVariablesBody,
      parseBody: (json, { headers }) => parseStoreVariablesBody(json, headers['if-match'] !== undefined),
    },
    responses: {
      201: ok('One variable, created', variableMetadata, { ETag: ETAG }),
      200: ok(
        'One variable overwritten (VariableMetadata, with ETag), or a batch stored (VariableBatchResult, no ETag)',
        z.union([variableMetadata, variableBatchResult]),
        { ETag: BATCH_ETAG },
      ),
    },
    errors: WRITE_ERRORS,
  }),
  ListVariables: route({
    method: 'GET',
    path: `${EXECUTION}/variables`,
    handler: 'variables/list-variables',
    operation: 'ListVariables',
    summary: 'List variables in step order, a page at a time',
    authenticated: true,
    memoryMb: 1024,
    request: {
      path: EXECUTION_PATH,
      headers: READ_HEADERS,
      query: parameterSet({
        limit: limitParameter(LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, 'Page size, default 100; above 1000 is clamped'),
        cursor: cursorParameter,
        include_values: flagParameter(false, 'Add each value (a page also ends after 4 MiB of values)'),
      }),
    },
    responses: { 200: ok('One page', variableListing) },
    errors: [...READ_ERRORS, 'INVALID_REQUEST'],
  }),
  GetVariable: route({
    method: 'GET',
    path: `${EXECUTION}/variables/{variable_name}`,
    handler: 'variables/get-variable',
    operation: 'GetVariable',
    summary: 'Read a variable with its value',
    authenticated: true,
    memoryMb: 1024,
    request: { path: VARIABLE_PATH, headers: READ_HEADERS },
    responses: { 200: ok('The variable', variableWithValue, { ETag: ETAG }) },
    errors: [...READ_ERRORS, 'INVALID_VARIABLE_NAME', 'VARIABLE_NOT_FOUND'],
  }),
  DeleteVariable: route({
    method: 'DELETE',
    path: `${EXECUTION}/variables/{variable_name}`,
    handler: 'variables/delete-variable',
    operation: 'DeleteVariable',
    summary: 'Delete a variable',
    authenticated: true,
    request: { path: VARIABLE_PATH, headers: WRITE_HEADERS },
    responses: { 204: { description: 'Deleted' } },
    errors: [...READ_ERRORS, ...IDEMPOTENCY_ERRORS, 'INVALID_VARIABLE_NAME', 'VARIABLE_NOT_FOUND', 'VERSION_MISMATCH'],
  }),
  GetExecution: route({
    method: 'GET',
    path: EXECUTION,
    handler: 'executions/get-execution',
    operation: 'GetExecution',
    summary: 'Summary of an execution: counts, variables, recent references',
    authenticated: true,
    request: { path: EXECUTION_PATH, headers: READ_HEADERS },
    responses: { 200: ok('The summary (zeros and empty lists for an execution with no data)', executionSummary) },
    errors: READ_ERRORS,
  }),
  DeleteExecution: route({
    method: 'DELETE',
    path: EXECUTION,
    handler: 'executions/delete-execution',
    operation: 'DeleteExecution',
    summary: 'Delete an execution: all its variables and lineage records',
    authenticated: true,
    request: { path: EXECUTION_PATH, headers: DELETE_EXECUTION_HEADERS },
    responses: {
      204: { description: 'Everything is gone' },
      202: ok('Too large to purge within the request: reads already see it empty, the purge finishes in the background', executionDeleting),
    },
    errors: [...READ_ERRORS, ...IDEMPOTENCY_ERRORS],
  }),
  GetSuggestions: suggestionsRoute(
    `${EXECUTION}/variable-suggestions`,
    'hints/get-suggestions',
    'GetSuggestions',
    'Variables visible before a step, for the step editor',
    ok('The suggestions (mode "basic" when degraded)', suggestions),
  ),
  SearchVariables: route({
    method: 'GET',
    path: `${EXECUTION}/variable-suggestions/search`,
    handler: 'hints/search-variables',
    operation: 'SearchVariables',
    summary: 'Fuzzy search of variable names',
    authenticated: true,
    memoryMb: 1024,
    request: {
      path: EXECUTION_PATH,
      headers: READ_HEADERS,
      query: parameterSet({
        q: searchQueryParameter,
        limit: limitParameter(SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT, 'Default 10; above 50 is clamped'),
        step_index: stepIndexParameter('Only variables from earlier steps'),
      }),
    },
    responses: { 200: ok('Matches, best first', searchResult) },
    errors: [...READ_ERRORS, 'INVALID_REQUEST', 'INVALID_STEP_INDEX'],
  }),
  GetProperties: propertiesRoute(
    `${EXECUTION}/variables/{variable_name}/properties`,
    'hints/get-properties',
    'GetProperties',
    'Properties of a variable or of the value at a reference path',
  ),
  ValidateReferences: route({
    method: 'POST',
    path: `${EXECUTION}/variables/validate`,
    handler: 'references/validate-references',
    operation: 'ValidateReferences',
    summary: 'Check up to 20 references as the step editor types them',
    authenticated: true,
    request: { path: EXECUTION_PATH, headers: READ_HEADERS, body: validateBody, parseBody: parseValidateBody },
    responses: { 200: ok('One result per reference, in input order', validationResults) },
    errors: [...READ_ERRORS, ...BODY_ERRORS, 'INVALID_STEP_INDEX'],
  }),
  Resolve: route({
    method: 'POST',
    path: `${EXECUTION}/resolve`,
    handler: 'references/resolve',
    operation: 'Resolve',
    summary: "Substitute references in a step's params or text and record lineage",
    authenticated: true,
    memoryMb: 1024,
    request: { path: EXECUTION_PATH, headers: READ_HEADERS, body: resolveBody, parseBody: parseResolveBody },
    responses: { 200: ok('The substituted params or text, with one record per reference', resolveResult) },
    errors: [...READ_ERRORS, ...BODY_ERRORS, 'INVALID_STEP_INDEX', 'UNRESOLVED_REFERENCES'],
  }),
  ListReferences: route({
    method: 'GET',
    path: `${EXECUTION}/variable-references`,
    handler: 'references/list-references',
    operation: 'ListReferences',
    summary: 'Lineage records, a page at a time',
    authenticated: true,
    request: {
      path: EXECUTION_PATH,
      headers: READ_HEADERS,
      query: parameterSet(
        {
          step_index: stepIndexParameter('Only this step'),
          status: statusParameter,
          variable_name: variableNameFilterParameter,
          limit: limitParameter(LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, 'Page size, default 100; above 1000 is clamped'),
          cursor: cursorParameter,
        },
        // The order these have always been checked in: the first failing one is the answer.
        ['limit', 'step_index', 'status', 'variable_name'],
      ),
    },
    responses: { 200: ok('One page', referenceListing) },
    errors: [...READ_ERRORS, 'INVALID_REQUEST', 'INVALID_STEP_INDEX', 'INVALID_VARIABLE_NAME'],
  }),
  GetSuggestionsCompat: suggestionsRoute(
    `${COMPAT_EXECUTION}/variable-suggestions`,
    'hints/get-suggestions-compat',
    'GetSuggestionsCompat',
    'GetSuggestions for the original step editor: items also carry `preview`',
    ok('The suggestions, each item with preview = preview_value', compatSuggestions),
  ),
  GetPropertiesCompat: propertiesRoute(
    `${COMPAT_EXECUTION}/variables/{variable_name}/properties`,
    'hints/get-properties-compat',
    'GetPropertiesCompat',
    'GetProperties for the original step editor',
  ),
  Health: route({
    method: 'GET',
    path: '/api/health',
    handler: 'service/health',
    operation: 'Health',
    summary: 'Liveness: database and cache state',
    authenticated: false,
    request: {},
    responses: {
      200: ok('Up ("ok", or "degraded" while the cache is impaired)', health),
      503: ok('Down: the database is unreachable', health, { 'Retry-After': RETRY_AFTER }),
    },
    errors: commonErrors({ authenticated: false, database: false, rateLimited: false }),
  }),
  OpenApi: route({
    method: 'GET',
    path: '/api/openapi.json',
    handler: 'service/openapi',
    operation: 'OpenApi',
    summary: 'This document',
    authenticated: false,
    request: {},
    responses: { 200: ok('The OpenAPI 3.1 document of this API', openApiDocumentSchema) },
    errors: commonErrors({ authenticated: false, database: false, rateLimited: false }),
  }),
};

export type Operation = keyof typeof ROUTE;

/** The table in this order: the OpenAPI document, the stack and the local server all read it. */
export const ROUTES: readonly RouteDefinition[] = Object.values(ROUTE);

/** Answers everything no route matches: 404 ROUTE_NOT_FOUND, 405 with Allow, CORS preflight. */
export const FALLBACK_ROUTE = { handler: 'service/fallback', operation: 'Fallback' } as const;

/** What the fallback can answer, whatever the path (documented once, under components.responses). */
export const FALLBACK_ERRORS: readonly ErrorCode[] = [
  'UNAUTHORIZED',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL_ERROR',
];

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

/** Static segments win over parameters, as in API Gateway (`/variables/validate` before `/variables/{name}`). */
const bySpecificity = [...compiled].sort((a, b) => a.names.length - b.names.length);

type RouteMatch =
  | { kind: 'matched'; route: RouteDefinition; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: HttpMethod[] }
  | { kind: 'not-found' };

export function matchRoute(method: string, path: string): RouteMatch {
  const allow = new Set<HttpMethod>();
  for (const { route, pattern, names } of bySpecificity) {
    const found = pattern.exec(path);
    if (!found) continue;
    if (route.method === method) {
      const pathParameters: Record<string, string> = {};
      names.forEach((name, i) => {
        pathParameters[name] = safeDecode(found[i + 1]);
      });
      return { kind: 'matched', route, pathParameters };
    }
    allow.add(route.method);
  }
  return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow].sort() } : { kind: 'not-found' };
}

/** Methods some route serves on this path (empty when no route has the path). */
export function allowedMethods(path: string): HttpMethod[] {
  return [...new Set(compiled.filter(({ pattern }) => pattern.test(path)).map(({ route }) => route.method))].sort();
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

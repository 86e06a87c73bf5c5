/**
 * What a route entry is (functions/routes.ts lists them all; each lives in functions/routes/<its
 * handler>.ts, so a function bundle carries its own entry's schemas and no other's): method and
 * path, the handler and its Lambda settings, whether it is authenticated, the zod schemas of its
 * path parameters, query, headers and body, and every status it can answer — success bodies and
 * headers, and the error codes per status. Also the pieces several entries share.
 */
import type * as z from 'zod/mini';
import type { ErrorCode } from '#domain/errors';
import type { ParameterSet } from '#schemas/parameters';

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

/** A route reads a JSON body only if it documents one, and then always through its own parser. */
type BodyContract =
  | { body?: undefined; parseBody?: undefined }
  | {
      /** The documented JSON body. */
      body: z.ZodMiniType;
      /**
       * Turns the JSON body into the handler's input: the body schema (functions/schemas/body.ts reports its
       * first problem), then what the schema alone does not say (value rules, a batch, a header that changes
       * what the body may be). Only functions whose route has a body carry the body parsing.
       */
      parseBody: (json: unknown, request: BodyContext) => unknown;
    };

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path template; `{name}` is one path segment. Both from functions/routes/addresses.ts. */
  path: string;
  /** Module under functions/handlers/ (no extension) that exports `handler`; its entry is in functions/routes/<handler>.ts. */
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
  } & BodyContract;
  /** Success (and other non-error) answers by status. */
  responses: Record<number, ResponseContract>;
  /** Every error code this route can answer with; the status of each comes from the error catalog. */
  errors: readonly ErrorCode[];
}

/** Keeps the entry's own types (its schemas, its statuses) for the handler's typed input and output. */
export const route = <R extends RouteDefinition>(definition: R): R => definition;

/** A documented answer; its headers' names and `required` flags stay in its type, so respond() can demand them. */
export const ok = <B extends z.ZodMiniType, H extends Record<string, HeaderContract> = Record<never, HeaderContract>>(
  description: string,
  body: B,
  headers?: H,
): { description: string; body: B; headers?: H } => ({ description, body, ...(headers ? { headers } : {}) });

/** Failures any route may answer, whatever it does (API.md §2, §8). */
export function commonErrors(options: { authenticated: boolean; database: boolean; rateLimited: boolean }): ErrorCode[] {
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

export const READ_ERRORS: ErrorCode[] = [
  'INVALID_EXECUTION_ID',
  ...commonErrors({ authenticated: true, database: true, rateLimited: true }),
];
/** A JSON body was read: its media type, syntax and size. */
export const BODY_ERRORS: ErrorCode[] = ['INVALID_REQUEST', 'INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE'];
export const IDEMPOTENCY_ERRORS: ErrorCode[] = ['INVALID_REQUEST', 'REQUEST_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'];
/** What a PUT or POST of variables can answer. */
export const WRITE_ERRORS: ErrorCode[] = [
  ...READ_ERRORS,
  ...BODY_ERRORS,
  ...IDEMPOTENCY_ERRORS,
  'INVALID_VARIABLE_NAME',
  'INVALID_STEP_INDEX',
  'VERSION_MISMATCH',
  'VALUE_TOO_LARGE',
];

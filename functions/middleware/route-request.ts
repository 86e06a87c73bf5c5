import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { ApiError } from '#domain/errors';
import { languageFrom, type Language } from '#domain/language';
import type { RouteDefinition } from '#functions/routes/contract';
import { lowerCaseHeaders, readJsonBody } from '#middleware/request';
import type { ParameterSet } from '#schemas/parameters';

type Place = 'path' | 'query' | 'headers';
type PartOf<Request, P extends Place> = Request extends { [K in P]: { schema: infer S extends z.ZodMiniType } }
  ? z.output<S>
  : Record<string, never>;
type BodyOf<Request> = Request extends { parseBody: (...args: never[]) => infer T } ? T : undefined;

/** What a route's handler receives: every part of the request parsed by the route's own schemas. */
export interface RouteInput<R extends RouteDefinition> {
  path: PartOf<R['request'], 'path'>;
  query: PartOf<R['request'], 'query'>;
  /** Keyed by the names the route documents (`If-Match`), whatever case the client sent. */
  headers: PartOf<R['request'], 'headers'>;
  body: BodyOf<R['request']>;
  /** The JSON body as sent, before its schema (keys in order, `__proto__` kept): what an idempotency key compares. */
  rawBody: unknown;
  method: string;
  rawPath: string;
  language: Language;
  requestId: string;
  receivedAt: Date;
  /** The Lambda context (the local server makes one per request). */
  context: Context;
}

/** The event once routeRequest has run: the parsed input rides on it, as middy's body parsers put theirs on `event.body`. */
export type RoutedEvent<R extends RouteDefinition> = APIGatewayProxyEventV2 & { input?: RouteInput<R> };

/**
 * One place's parameters. When several fail, the answer is that of the first in the set's check
 * order (API.md: one error per answer, always the same one for the same request).
 */
function parseParameters(set: ParameterSet | undefined, raw: Readonly<Record<string, string | undefined>>): unknown {
  if (set === undefined) return {};
  const parsed = set.schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const failing = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const answered = set.answers.find(([name]) => failing.has(name));
  if (answered) throw answered[1](raw[answered[0]]);
  const [field] = failing;
  throw new ApiError('INVALID_REQUEST', `Invalid parameter '${field}'`, { field });
}

/** Header values under the names the set documents (HTTP header names are case-insensitive). */
function documentedHeaders(set: ParameterSet | undefined, lowered: Readonly<Record<string, string | undefined>>) {
  return Object.fromEntries(Object.keys(set?.schema.shape ?? {}).map((name) => [name, lowered[name.toLowerCase()]]));
}

/**
 * A request checked against its route entry, in the order the service has always checked it: the
 * path parameters, the JSON envelope of the body (media type, size, UTF-8, syntax, depth), the
 * query, the body's schema, then the headers. The first problem is the answer.
 */
function parseRouteRequest<R extends RouteDefinition>(
  route: R,
  event: APIGatewayProxyEventV2,
  context: Context,
  receivedAt: Date,
): RouteInput<R> {
  const { request } = route;
  const headers = lowerCaseHeaders(event.headers);
  const pathParameters = Object.fromEntries(
    Object.entries(event.pathParameters ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const path = parseParameters(request.path, pathParameters);
  const rawBody = readJsonBody(event, headers);
  const query = parseParameters(request.query, event.queryStringParameters ?? {});
  const body = request.parseBody?.(rawBody, { pathParameters, headers });
  const parsedHeaders = parseParameters(request.headers, documentedHeaders(request.headers, headers));
  const input = {
    path,
    query,
    headers: parsedHeaders,
    body,
    rawBody,
    method: event.requestContext.http.method,
    rawPath: event.rawPath,
    language: languageFrom(headers['accept-language']),
    requestId: context.awsRequestId,
    receivedAt,
    context,
  };
  // Each part was parsed by the very schema its type is inferred from; TypeScript cannot follow a generic entry that far.
  return input as RouteInput<R>;
}

/** The middleware: parses the request from the route's entry before the handler runs; a problem is thrown as its ApiError. */
export function routeRequest<R extends RouteDefinition>(
  route: R,
): middy.MiddlewareObj<RoutedEvent<R>, APIGatewayProxyResultV2, Error, Context> {
  return {
    before: (request) => {
      request.event.input = parseRouteRequest(route, request.event, request.context, new Date());
    },
  };
}

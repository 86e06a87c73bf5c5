import type * as z from 'zod/mini';
import type { JsonText } from '#domain/json';
import type { HeaderContract, RouteDefinition } from '#functions/routes/contract';
import { json, jsonText, type ApiResponse } from '#middleware/responses';

declare const answerOf: unique symbol;

/** An answer made for route R by respond(), so a handler can return only what its entry documents. */
export type RouteResponse<R extends RouteDefinition> = ApiResponse & { readonly [answerOf]: R };

type Responses<R extends RouteDefinition> = R['responses'];
type Status<R extends RouteDefinition> = keyof Responses<R> & number;
/** Statuses whose answer has a JSON body. */
type JsonStatus<R extends RouteDefinition> = {
  [S in Status<R>]: Responses<R>[S] extends { body: z.ZodMiniType } ? S : never;
}[Status<R>];
/** Statuses answered without a body (204). */
type EmptyStatus<R extends RouteDefinition> = Exclude<Status<R>, JsonStatus<R>>;
type ResponseBody<R extends RouteDefinition, S extends Status<R>> = Responses<R>[S] extends { body: infer B extends z.ZodMiniType }
  ? z.input<B>
  : never;

/** The headers the route documents for a status: the required ones must be given, the others may be. */
type DocumentedHeaders<R extends RouteDefinition, S extends Status<R>> = Responses<R>[S] extends { headers?: infer H }
  ? H extends Record<string, HeaderContract>
    ? H
    : Record<never, HeaderContract>
  : Record<never, HeaderContract>;
type RequiredNames<H> = { [K in keyof H]: H[K] extends { required: true } ? K : never }[keyof H];
type AnswerHeaders<H> = { [K in RequiredNames<H>]: string } & { [K in Exclude<keyof H, RequiredNames<H>>]?: string };
/** Optional when no header is required for the status; otherwise the argument must name them all. */
type HeadersArgument<H> = [RequiredNames<H>] extends [never] ? [headers?: AnswerHeaders<H>] : [headers: AnswerHeaders<H>];

/** A JSON answer whose body must match the route's schema for that status (checked by tsc). */
export function respond<R extends RouteDefinition, S extends JsonStatus<R>>(
  _route: R,
  status: S,
  body: ResponseBody<R, S>,
  ...[headers]: HeadersArgument<DocumentedHeaders<R, S>>
): RouteResponse<R> {
  return json(status, body, (headers ?? {}) as Record<string, string>) as RouteResponse<R>;
}

/**
 * A JSON answer already serialized (a cached body): its type names what it was rendered from, and
 * tsc checks that against the route's schema for that status, as respond() does for a body.
 */
export function respondSerialized<R extends RouteDefinition, S extends JsonStatus<R>>(
  _route: R,
  status: S,
  text: JsonText<ResponseBody<R, S>>,
  ...[headers]: HeadersArgument<DocumentedHeaders<R, S>>
): RouteResponse<R> {
  return jsonText(status, text, (headers ?? {}) as Record<string, string>) as RouteResponse<R>;
}

/** An answer without a body, for a status the route documents without one. */
export function respondEmpty<R extends RouteDefinition, S extends EmptyStatus<R>>(
  _route: R,
  status: S,
  headers: Record<string, string> = {},
): RouteResponse<R> {
  const empty: ApiResponse = { statusCode: status, headers, body: '' };
  return empty as RouteResponse<R>;
}

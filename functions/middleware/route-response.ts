import type * as z from 'zod';
import type { JsonText } from '#domain/json';
import type { RouteDefinition } from '#functions/routes';
import { json, jsonText, type ApiResponse } from '#middleware/responses';

declare const answerOf: unique symbol;

/** An answer made for route R by respond(), so a handler can return only what its entry documents. */
export type RouteResponse<R extends RouteDefinition> = ApiResponse & { readonly [answerOf]: R };

type Responses<R extends RouteDefinition> = R['responses'];
type Status<R extends RouteDefinition> = keyof Responses<R> & number;
/** Statuses whose answer has a JSON body. */
type JsonStatus<R extends RouteDefinition> = {
  [S in Status<R>]: Responses<R>[S] extends { body: z.ZodType } ? S : never;
}[Status<R>];
/** Statuses answered without a body (204). */
type EmptyStatus<R extends RouteDefinition> = Exclude<Status<R>, JsonStatus<R>>;
type ResponseBody<R extends RouteDefinition, S extends Status<R>> = Responses<R>[S] extends { body: infer B extends z.ZodType }
  ? z.input<B>
  : never;

/** A JSON answer whose body must match the route's schema for that status (checked by tsc). */
export function respond<R extends RouteDefinition, S extends JsonStatus<R>>(
  _route: R,
  status: S,
  body: ResponseBody<R, S>,
  headers: Record<string, string> = {},
): RouteResponse<R> {
  return json(status, body, headers) as RouteResponse<R>;
}

/**
 * A JSON answer already serialized (a cached body): its type names what it was rendered from, and
 * tsc checks that against the route's schema for that status, as respond() does for a body.
 */
export function respondSerialized<R extends RouteDefinition, S extends JsonStatus<R>>(
  _route: R,
  status: S,
  text: JsonText<ResponseBody<R, S>>,
  headers: Record<string, string> = {},
): RouteResponse<R> {
  return jsonText(status, text, headers) as RouteResponse<R>;
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

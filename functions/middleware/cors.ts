import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { header } from '#middleware/headers';

/** CORS headers for the configured origins (API.md §2); the step editor runs in a browser. */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'If-Match', 'Idempotency-Key', 'Accept-Language'];
export const CORS_EXPOSED_HEADERS = ['ETag', 'Retry-After'];
export const CORS_ALLOWED_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS'];
/** How long a browser may reuse a preflight answer; API Gateway's preflight (lib/) uses the same. */
export const CORS_MAX_AGE_SECONDS = 3600;

export function corsHeaders(origins: string[], requestOrigin: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(', ') };
  if (origins.includes('*')) {
    headers['Access-Control-Allow-Origin'] = '*';
    return headers;
  }
  // The answer depends on Origin whether or not it is allowed: a shared cache must not hand an
  // answer without Access-Control-Allow-Origin to an allowed origin.
  headers.Vary = 'Origin';
  if (requestOrigin && origins.includes(requestOrigin)) headers['Access-Control-Allow-Origin'] = requestOrigin;
  return headers;
}

/** What a preflight answer adds to the CORS headers of every answer (the http-cors middleware adds those). */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(', '),
  'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
  'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
};

export interface HttpCorsOptions {
  /** The configured origins (CORS_ORIGINS); `*` allows any. */
  origins: string[];
}

/**
 * CORS headers on every answer, errors included (API.md §2). Used after the error mapping (it runs
 * before this one's onError), so an error answer carries them too.
 */
export function httpCors({ origins }: HttpCorsOptions): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const addHeaders = (request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>): void => {
    const response = request.response;
    if (typeof response !== 'object' || response === null) return;
    response.headers = Object.assign(response.headers ?? {}, corsHeaders(origins, header(request.event, 'origin')));
  };
  return { after: addHeaders, onError: addHeaders };
}

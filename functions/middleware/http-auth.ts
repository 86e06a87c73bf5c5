import { timingSafeEqual } from 'node:crypto';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ApiError } from '#domain/errors';
import { header } from '#middleware/headers';

export interface HttpAuthOptions {
  /** The bearer token every request must carry; undefined turns the check off (API.md §7: API_TOKEN). */
  token: string | undefined;
  /** Requests that need no token (the open routes, a CORS preflight). */
  exempt?: (event: APIGatewayProxyEventV2) => boolean;
}

/** Constant-time comparison, so the answer's timing tells nothing about how much of a guess was right. */
/** The token of an `Authorization: Bearer <token>` header; undefined for any other header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
}

export function tokenMatches(expected: string, authorization: string | undefined): boolean {
  const token = bearerToken(authorization);
  if (token === undefined) return false;
  const given = Buffer.from(token);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Bearer auth: 401 UNAUTHORIZED with `WWW-Authenticate: Bearer` before anything else runs. */
export function httpAuth({ token, exempt = () => false }: HttpAuthOptions): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      if (token === undefined || exempt(request.event)) return;
      if (!tokenMatches(token, header(request.event, 'authorization'))) {
        throw new ApiError('UNAUTHORIZED', 'A valid bearer token is required', {}, { 'WWW-Authenticate': 'Bearer' });
      }
    },
  };
}

/**
 * The fallback function: it answers everything no route matches (404 ROUTE_NOT_FOUND, 405 with
 * Allow, CORS preflight) from the routes' addresses alone, so its bundle carries no route's schemas.
 */
import type { ErrorCode } from '#domain/errors';
import { ADDRESS } from '#functions/routes/addresses';
import { routeMatcher } from '#functions/routes/matcher';

export const FALLBACK_ROUTE = { handler: 'service/fallback', operation: 'Fallback' } as const;

/** What the fallback can answer, whatever the path (documented once, under components.responses). */
export const FALLBACK_ERRORS: readonly ErrorCode[] = [
  'UNAUTHORIZED',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL_ERROR',
];

const addresses = routeMatcher(Object.values(ADDRESS));

/** Methods some route serves on this path (empty when no route has the path). */
export const allowedMethods = (path: string) => addresses.allowedMethods(path);

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ApiError } from '#domain/errors';
import { allowedMethods, FALLBACK_ROUTE } from '#functions/routes/fallback';
import { settings } from '#functions/composition/settings';
import { PREFLIGHT_HEADERS } from '#middleware/cors';
import { noContent } from '#middleware/responses';
import { httpChain } from '#middleware/http-chain';

const isPreflight = (event: APIGatewayProxyEventV2): boolean => event.requestContext.http.method.toUpperCase() === 'OPTIONS';

/**
 * Whatever no route takes: CORS preflight (204), a known path with another method (405 + Allow),
 * anything else (404). In AWS this is the `$default` route; locally, the server's fallback.
 * The same access log, CORS, error and auth middlewares as the routes (its 404s and 405s are
 * counted and logged under the operation `Fallback`); a preflight needs no token, and
 * without the token nothing about the API's shape is revealed, not even which paths exist.
 */
export const handler = httpChain<APIGatewayProxyEventV2>({
  operation: FALLBACK_ROUTE.operation,
  settings,
  exempt: isPreflight,
  traced: false,
}).handler(async (event) => {
  const method = event.requestContext.http.method.toUpperCase();
  const allow = allowedMethods(event.rawPath);
  if (allow.length === 0) {
    throw new ApiError('ROUTE_NOT_FOUND', `No route for ${event.requestContext.http.method} ${event.rawPath}`, { path: event.rawPath });
  }
  if (method === 'OPTIONS') return noContent({ ...PREFLIGHT_HEADERS });
  throw new ApiError(
    'METHOD_NOT_ALLOWED',
    `Method ${method} is not allowed on ${event.rawPath}`,
    { method, allow },
    { Allow: allow.join(', ') },
  );
});

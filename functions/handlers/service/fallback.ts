import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ApiError } from '#domain/errors';
import { allowedMethods, FALLBACK_ROUTE } from '#functions/routes/fallback';
import { settings } from '#functions/composition/settings';
import { accessLog } from '#middleware/access-log';
import { httpCors, PREFLIGHT_HEADERS } from '#middleware/cors';
import { errorResponse } from '#middleware/error-response';
import { httpAuth } from '#middleware/http-auth';
import { noContent } from '#middleware/responses';
import { logger, metrics } from '#observability/powertools';

const isPreflight = (event: APIGatewayProxyEventV2): boolean => event.requestContext.http.method.toUpperCase() === 'OPTIONS';

/**
 * Whatever no route takes: CORS preflight (204), a known path with another method (405 + Allow),
 * anything else (404). In AWS this is the `$default` route; locally, the server's fallback.
 * The same access log, CORS, error and auth middlewares as the routes (its 404s and 405s are
 * counted and logged under the operation `Fallback`); a preflight needs no token, and
 * without the token nothing about the API's shape is revealed, not even which paths exist.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(accessLog({ operation: FALLBACK_ROUTE.operation, logger, metrics }))
  .use(httpCors({ origins: settings.corsOrigins }))
  .use(errorResponse({ log: logger }))
  .use(httpAuth({ token: settings.apiToken, exempt: isPreflight }))
  .handler(async (event) => {
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

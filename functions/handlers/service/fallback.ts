import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ApiError } from '#domain/errors';
import { allowedMethods } from '#functions/routes';
import { preflightHeaders, corsHeaders } from '#middleware/cors';
import { header, toErrorResponse, tokenMatches } from '#middleware/http-contract';
import { noContent } from '#middleware/responses';
import { logger } from '#observability/powertools';
import { readSettings } from '#config/settings';

const settings = readSettings();

/**
 * Whatever no route takes: CORS preflight (204), a known path with another method (405 + Allow),
 * anything else (404). In AWS this is the `$default` route; locally, the server's fallback.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event, context) => {
    const method = event.requestContext.http.method.toUpperCase();
    const origin = event.headers?.origin ?? event.headers?.Origin;
    const allow = allowedMethods(event.rawPath);
    if (method === 'OPTIONS') {
      return allow.length === 0 ? notFound(event, context) : noContent(preflightHeaders(settings.corsOrigins, origin));
    }
    // Without the token nothing about the API's shape is revealed, not even which paths exist.
    if (settings.apiToken && !tokenMatches(settings.apiToken, header(event, 'authorization'))) {
      const error = new ApiError('UNAUTHORIZED', 'A valid bearer token is required', {}, { 'WWW-Authenticate': 'Bearer' });
      const response = toErrorResponse(error, event, context.awsRequestId);
      Object.assign(response.headers, corsHeaders(settings.corsOrigins, origin));
      return response;
    }
    if (allow.length > 0) {
      const error = new ApiError(
        'METHOD_NOT_ALLOWED',
        `Method ${method} is not allowed on ${event.rawPath}`,
        { method, allow },
        { Allow: allow.join(', ') },
      );
      const response = toErrorResponse(error, event, context.awsRequestId);
      Object.assign(response.headers, corsHeaders(settings.corsOrigins, origin));
      return response;
    }
    return notFound(event, context);
  });

function notFound(event: APIGatewayProxyEventV2, context: Context): APIGatewayProxyResultV2 {
  const error = new ApiError('ROUTE_NOT_FOUND', `No route for ${event.requestContext.http.method} ${event.rawPath}`, {
    path: event.rawPath,
  });
  const response = toErrorResponse(error, event, context.awsRequestId);
  Object.assign(response.headers, corsHeaders(settings.corsOrigins, event.headers?.origin));
  return response;
}

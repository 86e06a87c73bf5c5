import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Settings } from '#config/settings';
import { accessLog } from '#middleware/access-log';
import { httpCors } from '#middleware/cors';
import { errorResponse } from '#middleware/error-response';
import { httpAuth } from '#middleware/http-auth';
import { logger, metrics, tracerMiddleware } from '#observability/powertools';

export interface HttpChainOptions<E extends APIGatewayProxyEventV2> {
  /** What the access log and the metrics name the requests: the route's operation, or `Fallback`. */
  operation: string;
  settings: Pick<Settings, 'corsOrigins' | 'apiToken'>;
  /** Requests that need no bearer token (an open route, a CORS preflight). */
  exempt: (event: E) => boolean;
  /** The routes' functions trace and count their cold starts; the fallback does neither. */
  traced: boolean;
}

/**
 * The front of every HTTP function's chain, one concern per middleware: tracer → logger context →
 * metrics flush → access log (metrics + the one log line) → CORS → error mapping → bearer auth.
 * The routes (api-handler.ts) add their own steps behind it; the fallback adds none.
 */
export function httpChain<E extends APIGatewayProxyEventV2>(options: HttpChainOptions<E>) {
  const chain = middy<E, APIGatewayProxyStructuredResultV2, Error, Context>();
  const tracer = options.traced ? tracerMiddleware() : undefined;
  if (tracer) chain.use(tracer);
  return (
    chain
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(logMetrics(metrics, options.traced ? { captureColdStartMetric: true } : {}))
      .use(accessLog({ operation: options.operation, logger, metrics }))
      .use(httpCors({ origins: options.settings.corsOrigins }))
      .use(errorResponse({ log: logger }))
      // The chain only ever hands httpAuth its own events (E).
      .use(httpAuth({ token: options.settings.apiToken, exempt: options.exempt as (event: APIGatewayProxyEventV2) => boolean }))
  );
}

import { timingSafeEqual } from 'node:crypto';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { ApiError, errorBody, isApiError } from '#domain/errors';
import { languageFrom } from '#domain/language';
import { logger, metrics, MetricUnit } from '#observability/powertools';
import { corsHeaders } from '#middleware/cors';
import { json, type ApiResponse } from '#middleware/responses';
import { readSettings } from '#config/settings';

const settings = readSettings();
const OPEN_PATHS = new Set(['/api/health', '/api/openapi.json']);

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

export function tokenMatches(expected: string, authorization: string | undefined): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1].trim());
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Turns anything thrown into the one error shape; unknown errors become a generic 500 with nothing internal. */
export function toErrorResponse(error: unknown, event: APIGatewayProxyEventV2, requestId: string): ApiResponse {
  const apiError = isApiError(error) ? error : new ApiError('INTERNAL_ERROR', 'An internal error occurred');
  if (!isApiError(error)) {
    // Name and stack frames only: messages of library errors can quote request data.
    const frames = (error as Error)?.stack
      ?.split('\n')
      .filter((line) => line.startsWith('    at '))
      .slice(0, 5)
      .join('\n');
    logger.error('unhandled error', { error_name: (error as Error)?.name, stack: frames });
  } else if (apiError.internalReason) {
    logger.warn('request failed on a dependency', { code: apiError.code, reason: apiError.internalReason });
  }
  const body = errorBody(apiError, requestId, new Date().toISOString(), languageFrom(header(event, 'accept-language')));
  return json(apiError.status, body, apiError.headers);
}

/**
 * The HTTP contract every route shares: bearer auth when API_TOKEN is set, CORS headers, the
 * error shape, and per-operation success/failure counts and latency (EMF) with one log line.
 */
export function httpContract(operation: string): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context> {
  type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>;
  // Per request, not per closure: the local server runs many requests through one handler at once.
  const startedAt = new WeakMap<Request, number>();
  const finish = (request: Request): void => {
    const response = request.response as ApiResponse;
    const latency = performance.now() - (startedAt.get(request) ?? performance.now());
    Object.assign(response.headers, corsHeaders(settings.corsOrigins, header(request.event, 'origin')));
    const status = response.statusCode;
    metrics.addDimension('operation', operation);
    metrics.addMetric(status >= 500 ? 'Failure' : 'Success', MetricUnit.Count, 1);
    if (status >= 400 && status < 500) metrics.addMetric('ClientError', MetricUnit.Count, 1);
    metrics.addMetric('Latency', MetricUnit.Milliseconds, latency);
    logger.info('request handled', {
      operation,
      status,
      latency_ms: Math.round(latency * 10) / 10,
      execution_id: request.event.pathParameters?.execution_id,
      variable_name: request.event.pathParameters?.variable_name,
    });
  };
  return {
    before: (request) => {
      startedAt.set(request, performance.now());
      if (
        settings.apiToken &&
        !OPEN_PATHS.has(request.event.rawPath) &&
        !tokenMatches(settings.apiToken, header(request.event, 'authorization'))
      ) {
        throw new ApiError('UNAUTHORIZED', 'A valid bearer token is required', {}, { 'WWW-Authenticate': 'Bearer' });
      }
    },
    after: (request) => finish(request),
    onError: (request) => {
      const code = isApiError(request.error) ? request.error.code : 'INTERNAL_ERROR';
      request.response = toErrorResponse(request.error, request.event, request.context.awsRequestId);
      const single = metrics.singleMetric();
      single.addDimension('error_code', code);
      single.addMetric('Error', MetricUnit.Count, 1);
      finish(request);
    },
  };
}

import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { ApiError, errorBody, isApiError } from '#domain/errors';
import { languageFrom } from '#domain/language';
import { header } from '#middleware/headers';
import { json, type ApiResponse } from '#middleware/responses';

/** What the error mapping logs: only names, codes and stack frames, never a message that could quote request data. */
export interface ErrorLog {
  error(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

/** Turns anything thrown into the one error shape; unknown errors become a generic 500 with nothing internal. */
export function toErrorResponse(error: unknown, event: APIGatewayProxyEventV2, requestId: string, log: ErrorLog): ApiResponse {
  const apiError = isApiError(error) ? error : new ApiError('INTERNAL_ERROR', 'An internal error occurred');
  if (!isApiError(error)) {
    // Name and stack frames only: messages of library errors can quote request data.
    const frames = (error as Error)?.stack
      ?.split('\n')
      .filter((line) => line.startsWith('    at '))
      .slice(0, 5)
      .join('\n');
    log.error('unhandled error', { error_name: (error as Error)?.name, stack: frames });
  } else if (apiError.internalReason) {
    log.warn('request failed on a dependency', { code: apiError.code, reason: apiError.internalReason });
  }
  const body = errorBody(apiError, requestId, new Date().toISOString(), languageFrom(header(event, 'accept-language')));
  return json(apiError.status, body, apiError.headers);
}

export interface ErrorResponseOptions {
  log: ErrorLog;
}

/** The error mapping: whatever a later middleware or the route throws is answered in the error shape (API.md §2). */
export function errorResponse({
  log,
}: ErrorResponseOptions): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context> {
  return {
    onError: (request) => {
      request.response = toErrorResponse(request.error, request.event, request.context.awsRequestId, log);
    },
  };
}

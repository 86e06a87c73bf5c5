import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { corsHeaders } from '#middleware/cors';
import { header } from '#middleware/headers';

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

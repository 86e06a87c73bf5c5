import { createHash } from 'node:crypto';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ApiError } from '#domain/errors';
import type { ClientRateLimiter } from '#adapters/rate-limit';
import { bearerToken } from '#middleware/http-auth';
import { header } from '#middleware/headers';

/**
 * Who a request is for the rate limit (API.md §8): the caller API Gateway authenticated (an IAM
 * principal or a JWT subject) in AWS; the bearer token's identity when one is sent (a digest: the
 * token itself is a secret and never becomes a Redis key); else the source address.
 */
export function clientIdentity(event: APIGatewayProxyEventV2): string {
  const authorizer = (event.requestContext as { authorizer?: { iam?: { userArn?: string }; jwt?: { claims?: { sub?: string } } } })
    .authorizer;
  if (authorizer?.iam?.userArn) return `iam:${authorizer.iam.userArn}`;
  if (authorizer?.jwt?.claims?.sub) return `jwt:${authorizer.jwt.claims.sub}`;
  const token = bearerToken(header(event, 'authorization'));
  if (token) return `token:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`;
  return `ip:${event.requestContext?.http?.sourceIp ?? 'unknown'}`;
}

export interface RateLimitOptions {
  /** The client's requests per minute across instances; undefined turns the limit off (RATE_LIMIT_PER_MINUTE unset, or health). */
  limiter: ClientRateLimiter | undefined;
}

/**
 * The client's rate limit (API.md §8): 429 RATE_LIMITED with Retry-After when this client is over
 * its requests per minute. Used before the request is parsed: a malformed request is a request of
 * the client's minute too, and over the limit its body is never read.
 */
export function rateLimit({ limiter }: RateLimitOptions): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      if (!limiter) return;
      const decision = await limiter.consume(clientIdentity(request.event));
      if (decision.allowed) return;
      throw new ApiError(
        'RATE_LIMITED',
        `Over the limit of ${limiter.perMinute} requests a minute; retry in ${decision.retryAfterSeconds} s`,
        { limit_per_minute: limiter.perMinute, retry_after_seconds: decision.retryAfterSeconds },
        { 'Retry-After': String(decision.retryAfterSeconds) },
      );
    },
  };
}

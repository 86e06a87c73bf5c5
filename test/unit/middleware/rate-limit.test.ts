import type { ClientRateLimiter, RateDecision } from '#adapters/rate-limit';
import middy from '@middy/core';
import { clientIdentity, rateLimit } from '#middleware/rate-limit';
import { createTestEvent } from '../../support/test-event';

function limiter(decision: RateDecision, seen: string[] = []): ClientRateLimiter {
  return {
    perMinute: 5,
    consume: async (client: string) => {
      seen.push(client);
      return decision;
    },
  } as unknown as ClientRateLimiter;
}

const ok = async () => ({ statusCode: 200, headers: {}, body: 'ok' });

describe('rateLimit', () => {
  it('lets every request through without a limiter, and an allowed one through with it, counted for its client', async () => {
    const { event, context } = createTestEvent();
    await expect(
      middy()
        .use(rateLimit({ limiter: undefined }))
        .handler(ok)(event, context),
    ).resolves.toMatchObject({ statusCode: 200 });
    const seen: string[] = [];
    const limited = middy()
      .use(rateLimit({ limiter: limiter({ allowed: true }, seen) }))
      .handler(ok);
    await expect(limited(event, context)).resolves.toMatchObject({ statusCode: 200 });
    expect(seen).toEqual(['ip:198.51.100.7']);
  });

  it('refuses a client over its limit with 429 RATE_LIMITED, Retry-After and the limit in details, before the handler runs', async () => {
    const { event, context } = createTestEvent();
    const handler = jest.fn(ok);
    const limited = middy()
      .use(rateLimit({ limiter: limiter({ allowed: false, retryAfterSeconds: 12 }) }))
      .handler(handler);
    await expect(limited(event, context)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      headers: { 'Retry-After': '12' },
      details: { limit_per_minute: 5, retry_after_seconds: 12 },
    });
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('clientIdentity', () => {
  it('is the bearer token as a digest (never the token), else the source address', () => {
    const withToken = createTestEvent({ headers: { Authorization: 'Bearer very-secret-token' } }).event;
    const identity = clientIdentity(withToken);
    expect(identity).toMatch(/^token:[\w-]{22}$/);
    expect(identity).not.toContain('very-secret-token');
    expect(clientIdentity(createTestEvent().event)).toBe('ip:198.51.100.7');
  });

  it('prefers the caller API Gateway authenticated', () => {
    const { event } = createTestEvent({ headers: { authorization: 'Bearer t' } });
    (event.requestContext as unknown as { authorizer: unknown }).authorizer = { jwt: { claims: { sub: 'user-1' } } };
    expect(clientIdentity(event)).toBe('jwt:user-1');
    (event.requestContext as unknown as { authorizer: unknown }).authorizer = { iam: { userArn: 'arn:aws:iam::1:user/a' } };
    expect(clientIdentity(event)).toBe('iam:arn:aws:iam::1:user/a');
  });
});

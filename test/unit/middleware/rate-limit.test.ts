import type { ClientRateLimiter, RateDecision } from '#adapters/rate-limit';
import { clientIdentity, enforceRateLimit } from '#middleware/rate-limit';
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

describe('enforceRateLimit', () => {
  it('does nothing without a limiter, and lets an allowed request through', async () => {
    const { event } = createTestEvent();
    await expect(enforceRateLimit(undefined, event)).resolves.toBeUndefined();
    await expect(enforceRateLimit(limiter({ allowed: true }), event)).resolves.toBeUndefined();
  });

  it('refuses a client over its limit with 429 RATE_LIMITED, Retry-After and the limit in details', async () => {
    const { event } = createTestEvent();
    await expect(enforceRateLimit(limiter({ allowed: false, retryAfterSeconds: 12 }), event)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      headers: { 'Retry-After': '12' },
      details: { limit_per_minute: 5, retry_after_seconds: 12 },
    });
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

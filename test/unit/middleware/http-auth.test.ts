import middy from '@middy/core';
import fc from 'fast-check';
import { httpAuth, tokenMatches } from '#middleware/http-auth';
import { createTestEvent } from '../../support/test-event';

const ok = async () => ({ statusCode: 200, headers: {}, body: 'ok' });

function chain(options: Parameters<typeof httpAuth>[0]) {
  return middy().use(httpAuth(options)).handler(ok);
}

describe('httpAuth', () => {
  it('lets every request through when no token is configured', async () => {
    const { event, context } = createTestEvent();
    await expect(chain({ token: undefined })(event, context)).resolves.toMatchObject({ statusCode: 200 });
  });

  it('refuses a missing or wrong token with UNAUTHORIZED and WWW-Authenticate: Bearer, before the handler runs', async () => {
    const handler = jest.fn(ok);
    const guarded = middy()
      .use(httpAuth({ token: 's3cret' }))
      .handler(handler);
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: 's3cret' },
      { authorization: 'Basic s3cret' },
    ];
    for (const headers of cases) {
      const { event, context } = createTestEvent({ headers });
      await expect(guarded(event, context)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('accepts the token in any header case and scheme case, with surrounding space', async () => {
    const cases: Record<string, string>[] = [{ authorization: 'Bearer s3cret' }, { Authorization: 'bearer  s3cret ' }];
    for (const headers of cases) {
      const { event, context } = createTestEvent({ headers });
      await expect(chain({ token: 's3cret' })(event, context)).resolves.toMatchObject({ statusCode: 200 });
    }
  });

  it('lets exempt requests through without a token', async () => {
    const { event, context } = createTestEvent({ path: '/api/health' });
    const open = chain({ token: 's3cret', exempt: (e) => e.rawPath === '/api/health' });
    await expect(open(event, context)).resolves.toMatchObject({ statusCode: 200 });
    const other = createTestEvent({ path: '/api/v1/executions/x' });
    await expect(open(other.event, other.context)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('tokenMatches', () => {
  const token = fc.stringMatching(/^[!-~]{1,64}$/);

  it('matches exactly the configured token', () => {
    fc.assert(fc.property(token, (t) => tokenMatches(t, `Bearer ${t}`)));
    fc.assert(fc.property(token, token, (expected, given) => tokenMatches(expected, `Bearer ${given}`) === (expected === given)));
  });
});

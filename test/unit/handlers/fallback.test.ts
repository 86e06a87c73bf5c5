import '../../support/handler-test-env';
import type { LambdaHandler } from '#middleware/api-handler';
import { createTestEvent, jsonBody } from '../../support/test-event';

/** The fallback reads its settings once, when its module loads: each case loads it with its own environment. */
function fallbackWith(env: Record<string, string>): LambdaHandler {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    let loaded: LambdaHandler | undefined;
    jest.isolateModules(() => {
      loaded = (require('#handlers/service/fallback') as { handler: LambdaHandler }).handler;
    });
    return loaded!;
  } finally {
    process.env = saved;
  }
}

const call = (handler: LambdaHandler, made: ReturnType<typeof createTestEvent>) => handler(made.event, made.context);

describe('the fallback route', () => {
  const handler = fallbackWith({ CORS_ORIGINS: 'https://editor.example' });

  it('answers a preflight on a known path 204 with the CORS preflight headers', async () => {
    const result = await call(
      handler,
      createTestEvent({ method: 'OPTIONS', path: '/api/v1/executions/run-1/variables', headers: { origin: 'https://editor.example' } }),
    );
    expect(result).toMatchObject({
      statusCode: 204,
      headers: {
        'Access-Control-Allow-Origin': 'https://editor.example',
        'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE, OPTIONS',
        'Access-Control-Max-Age': '3600',
        Vary: 'Origin',
      },
    });
  });

  it('answers another method on a known path 405 with Allow, and an unknown path 404, both with CORS', async () => {
    const wrongMethod = await call(handler, createTestEvent({ method: 'PATCH', path: '/api/health' }));
    expect(wrongMethod).toMatchObject({ statusCode: 405, headers: { Allow: expect.stringContaining('GET'), Vary: 'Origin' } });
    expect(jsonBody(wrongMethod)).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED', details: { method: 'PATCH' } } });
    const unknown = await call(handler, createTestEvent({ method: 'GET', path: '/nowhere' }));
    expect(unknown).toMatchObject({ statusCode: 404, headers: { Vary: 'Origin' } });
    expect(jsonBody(unknown)).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND', details: { path: '/nowhere' } } });
  });

  describe('with API_TOKEN set', () => {
    const guarded = fallbackWith({ API_TOKEN: 'let-me-in' });

    it('reveals nothing about paths without the token, but still answers a preflight', async () => {
      const known = await call(guarded, createTestEvent({ method: 'PATCH', path: '/api/health' }));
      const unknown = await call(guarded, createTestEvent({ method: 'GET', path: '/nowhere' }));
      for (const result of [known, unknown]) {
        expect(result).toMatchObject({ statusCode: 401, headers: { 'WWW-Authenticate': 'Bearer', 'Access-Control-Allow-Origin': '*' } });
      }
      const preflight = await call(guarded, createTestEvent({ method: 'OPTIONS', path: '/api/health' }));
      expect(preflight.statusCode).toBe(204);
      const withToken = await call(
        guarded,
        createTestEvent({ method: 'PATCH', path: '/api/health', headers: { authorization: 'Bearer let-me-in' } }),
      );
      expect(withToken.statusCode).toBe(405);
    });
  });
});

import middy from '@middy/core';
import { ApiError } from '#domain/errors';
import { errorResponse } from '#middleware/error-response';
import { httpCors } from '#middleware/cors';
import { createTestEvent } from '../../support/test-event';

const quiet = { error: () => undefined, warn: () => undefined };
const ok = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' });

describe('httpCors', () => {
  it('allows any origin with *, and exposes ETag and Retry-After', async () => {
    const { event, context } = createTestEvent({ headers: { origin: 'https://editor.example' } });
    const result = await middy()
      .use(httpCors({ origins: ['*'] }))
      .handler(ok)(event, context);
    expect(result.headers).toEqual({
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'ETag, Retry-After',
    });
  });

  it('echoes an allowed origin and always varies on Origin; a foreign origin gets no Allow-Origin', async () => {
    const handler = middy()
      .use(httpCors({ origins: ['https://editor.example'] }))
      .handler(ok);
    const allowed = createTestEvent({ headers: { Origin: 'https://editor.example' } });
    const allowedResult = await handler(allowed.event, allowed.context);
    expect(allowedResult.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://editor.example', Vary: 'Origin' });
    const foreign = createTestEvent({ headers: { origin: 'https://evil.example' } });
    const foreignResult = await handler(foreign.event, foreign.context);
    expect(foreignResult.headers.Vary).toBe('Origin');
    expect(foreignResult.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });

  it('puts the headers on error answers too, once the error mapping has made them', async () => {
    const { event, context } = createTestEvent();
    const failing = middy()
      .use(httpCors({ origins: ['*'] }))
      .use(errorResponse({ log: quiet }))
      .handler(async () => {
        throw new ApiError('VARIABLE_NOT_FOUND', 'no such variable');
      });
    const result = await failing(event, context);
    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json; charset=utf-8' });
  });
});

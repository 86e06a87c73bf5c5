import middy from '@middy/core';
import { ApiError, serviceUnavailable } from '#domain/errors';
import { errorResponse } from '#middleware/error-response';
import { createTestEvent, jsonBody } from '../../support/test-event';

function recordingLog() {
  const entries: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  return {
    entries,
    error: (message: string, fields: Record<string, unknown>) => entries.push({ level: 'error', message, fields }),
    warn: (message: string, fields: Record<string, unknown>) => entries.push({ level: 'warn', message, fields }),
  };
}

function throwing(error: unknown, log = recordingLog()) {
  return middy()
    .use(errorResponse({ log }))
    .handler(async () => {
      throw error;
    });
}

describe('errorResponse', () => {
  it('answers an ApiError with its status, its headers and the one error shape', async () => {
    const { event, context } = createTestEvent();
    const error = new ApiError('RATE_LIMITED', 'Over the limit', { limit_per_minute: 5 }, { 'Retry-After': '7' });
    const result = await throwing(error)(event, context);
    expect(result.statusCode).toBe(429);
    expect(result.headers).toEqual({ 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '7' });
    const body = jsonBody(result);
    expect(body).toMatchObject({
      success: false,
      error: { code: 'RATE_LIMITED', message: 'Over the limit', details: { limit_per_minute: 5 }, request_id: context.awsRequestId },
    });
    expect(typeof body.user_message).toBe('string');
  });

  it('turns anything else into a generic 500 that says nothing internal, and logs only its name and frames', async () => {
    const log = recordingLog();
    const { event, context } = createTestEvent();
    const result = await throwing(new TypeError('value "hunter2" is not iterable'), log)(event, context);
    expect(result.statusCode).toBe(500);
    const body = jsonBody(result);
    expect(body.error).toMatchObject({ code: 'INTERNAL_ERROR', message: 'An internal error occurred', details: {} });
    expect(result.body).not.toContain('hunter2');
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({ level: 'error', fields: { error_name: 'TypeError' } });
    expect(JSON.stringify(log.entries)).not.toContain('hunter2');
  });

  it('logs the internal reason of a dependency failure as a warning, never in the answer', async () => {
    const log = recordingLog();
    const error = serviceUnavailable('dynamo: connect ECONNREFUSED');
    const { event, context } = createTestEvent();
    const result = await throwing(error, log)(event, context);
    expect(result.statusCode).toBe(503);
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(log.entries).toEqual([
      { level: 'warn', message: 'request failed on a dependency', fields: { code: 'SERVICE_UNAVAILABLE', reason: error.internalReason } },
    ]);
  });

  it('answers in the language the client asks for', async () => {
    const english = createTestEvent();
    const chinese = createTestEvent({ headers: { 'Accept-Language': 'zh-CN' } });
    const error = new ApiError('VARIABLE_NOT_FOUND', 'no such variable');
    const inEnglish = jsonBody(await throwing(error)(english.event, english.context));
    const inChinese = jsonBody(await throwing(error)(chinese.event, chinese.context));
    expect(inChinese.user_message).not.toEqual(inEnglish.user_message);
  });
});

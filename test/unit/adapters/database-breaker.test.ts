import { DatabaseBreaker, isTransientDatabaseError } from '#adapters/dynamo/database-breaker';

const sdkError = (name: string, metadata: Record<string, unknown>, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(name), { name, $metadata: metadata, ...extra });

describe('isTransientDatabaseError', () => {
  it.each([
    ['a refused connection', sdkError('Error', { attempts: 3 }, { code: 'ECONNREFUSED' })],
    ['an attempt timeout', sdkError('TimeoutError', { attempts: 3 })],
    ['silence after a timeout', sdkError('DatabaseUnresponsiveError', { attempts: 1 })],
    ['a 500', sdkError('InternalServerError', { httpStatusCode: 500 }, { $fault: 'server' })],
    ['throttling', sdkError('ProvisionedThroughputExceededException', { httpStatusCode: 400 })],
    ['a missing table', sdkError('ResourceNotFoundException', { httpStatusCode: 400 })],
  ])('%s is the database being unwell', (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['a refused condition', sdkError('ConditionalCheckFailedException', { httpStatusCode: 400 })],
    ['a malformed request', sdkError('ValidationException', { httpStatusCode: 400 })],
    ['a bug in this code', new TypeError("Cannot read properties of undefined (reading 'S')")],
    ['a plain error without SDK metadata', new Error('boom')],
  ])('%s is not', (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});

describe('DatabaseBreaker', () => {
  it('maps an outage to 503 and opens after consecutive outages, but a bug stays a bug and never opens it', async () => {
    const states: string[] = [];
    const breaker = new DatabaseBreaker(
      { onStateChange: (state) => states.push(state), onThrottle: () => undefined },
      { consecutiveFailures: 2 },
    );
    for (let i = 0; i < 5; i += 1) await expect(breaker.run(() => Promise.reject(new TypeError('bug')))).rejects.toBeInstanceOf(TypeError);
    expect(breaker.isOpen).toBe(false);
    const outage = () => Promise.reject(sdkError('TimeoutError', { attempts: 3 }));
    await expect(breaker.run(outage)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    await expect(breaker.run(outage)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(breaker.isOpen).toBe(true);
    expect(states).toEqual(['open']);
    await expect(breaker.run(() => Promise.resolve('never called'))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});

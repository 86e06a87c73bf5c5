import middy from '@middy/core';
import { ApiError } from '#domain/errors';
import { type AccessMetrics, accessLog } from '#middleware/access-log';
import { errorResponse } from '#middleware/error-response';
import { createTestEvent } from '../../support/test-event';

/** Records what the middleware reports, in the order it reports it. */
function recorder() {
  const metrics: Array<[string, string, number]> = [];
  const dimensions: Array<[string, string]> = [];
  const errors: Array<{ code: string; name: string }> = [];
  const lines: Array<Record<string, unknown>> = [];
  let singleMetrics = 0;
  const fake = {
    addDimension: (name: string, value: string) => void dimensions.push([name, value]),
    addMetric: (name: string, unit: string, value: number) => void metrics.push([name, unit, value]),
    singleMetric: () => {
      singleMetrics += 1;
      let code = '';
      return {
        setDefaultDimensions: (dims: Record<string, string>) => void (code = dims.error_code),
        addMetric: (name: string) => void errors.push({ code, name }),
      };
    },
  } as unknown as AccessMetrics;
  const logger = { level: 12, info: (message: string, fields: Record<string, unknown>) => void lines.push({ message, ...fields }) };
  return { fake, logger, metrics, dimensions, errors, lines, singleMetricCalls: () => singleMetrics };
}

const quiet = { error: () => undefined, warn: () => undefined };

function chain(rec: ReturnType<typeof recorder>, answer: () => Promise<unknown>) {
  return middy()
    .use(accessLog({ operation: 'GetVariable', logger: rec.logger, metrics: rec.fake }))
    .use(errorResponse({ log: quiet }))
    .handler(answer);
}

const names = (rec: ReturnType<typeof recorder>) => rec.metrics.map(([name]) => name);

describe('accessLog', () => {
  it('counts a success with its latency under the operation and writes one log line with ids, not values', async () => {
    const rec = recorder();
    const { event, context } = createTestEvent({ pathParameters: { execution_id: 'run-1', variable_name: 'token' }, body: { value: 'x' } });
    await chain(rec, async () => ({ statusCode: 200, headers: {}, body: '{"value":"secret"}' }))(event, context);
    expect(rec.dimensions).toEqual([['operation', 'GetVariable']]);
    expect(names(rec)).toEqual(['Success', 'Latency']);
    expect(rec.metrics[1][1]).toBe('Milliseconds');
    expect(rec.metrics[1][2]).toBeGreaterThanOrEqual(0);
    expect(rec.lines).toHaveLength(1);
    expect(rec.lines[0]).toMatchObject({
      message: 'request handled',
      operation: 'GetVariable',
      status: 200,
      execution_id: 'run-1',
      variable_name: 'token',
    });
    expect(JSON.stringify(rec.lines)).not.toContain('secret');
  });

  it('counts a 4xx as a success and a client error, a 5xx as a failure, each error by its code', async () => {
    const rec = recorder();
    const { event, context } = createTestEvent();
    await chain(rec, async () => {
      throw new ApiError('VARIABLE_NOT_FOUND', 'no such variable');
    })(event, context);
    expect(names(rec)).toEqual(['Success', 'ClientError', 'Latency']);
    expect(rec.lines[0]).toMatchObject({ status: 404 });

    const failed = recorder();
    await chain(failed, async () => {
      throw new Error('boom');
    })(event, context);
    expect(names(failed)).toEqual(['Failure', 'Latency']);
    expect(failed.errors).toEqual([{ code: 'INTERNAL_ERROR', name: 'Error' }]);
  });

  it('makes one single-metric emitter per error code, not one per error', async () => {
    const rec = recorder();
    const handler = chain(rec, async () => {
      throw new ApiError('VARIABLE_NOT_FOUND', 'no such variable');
    });
    for (let i = 0; i < 3; i += 1) {
      const { event, context } = createTestEvent();
      await handler(event, context);
    }
    expect(rec.errors).toHaveLength(3);
    expect(rec.singleMetricCalls()).toBe(1);
  });

  it('writes no log line when the logger is above INFO, and still counts', async () => {
    const rec = recorder();
    const quietLogger = { ...rec.logger, level: 16 };
    const { event, context } = createTestEvent();
    await middy()
      .use(accessLog({ operation: 'GetVariable', logger: quietLogger, metrics: rec.fake }))
      .handler(async () => ({ statusCode: 200, headers: {}, body: '' }))(event, context);
    expect(rec.lines).toEqual([]);
    expect(names(rec)).toEqual(['Success', 'Latency']);
  });

  it("keeps its start time in the request's own internal state", async () => {
    const rec = recorder();
    let seen: Record<string, unknown> = {};
    const handler = middy()
      .use(accessLog({ operation: 'GetVariable', logger: rec.logger, metrics: rec.fake }))
      .use({
        before: (request) => {
          seen = { ...request.internal };
        },
      })
      .handler(async () => ({ statusCode: 204, headers: {}, body: '' }));
    const { event, context } = createTestEvent();
    await handler(event, context);
    expect(Object.values(seen)).toEqual([expect.any(Number)]);
  });
});

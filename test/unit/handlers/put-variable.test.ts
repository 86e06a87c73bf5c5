import '../../support/handler-test-env';
import type { ClientRateLimiter } from '#adapters/rate-limit';
import { ApiError } from '#domain/errors';
import { variableWrites, type VariableWriteDependencies } from '#functions/composition/variable-writes';
import { handler } from '#handlers/variables/put-variable';
import { createTestEvent, jsonBody } from '../../support/test-event';
import { limits, metadata, rememberingGate, testSettings } from './fakes';

const PATH = '/api/v1/executions/run-1/variables/token';

function put(body: unknown, headers: Record<string, string> = {}) {
  return createTestEvent({
    method: 'PUT',
    path: PATH,
    pathParameters: { execution_id: 'run-1', variable_name: 'token' },
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

function inMemoryWrites(overrides: Partial<VariableWriteDependencies> = {}) {
  const versions = new Map<string, number>();
  const put = jest.fn(async (executionId: string, write: { variable_name: string }, expected?: number) => {
    const current = versions.get(write.variable_name);
    if (expected !== undefined && expected !== current) throw new ApiError('VERSION_MISMATCH', 'moved on');
    const version = (current ?? 0) + 1;
    versions.set(write.variable_name, version);
    return { metadata: { ...metadata(write.variable_name, version), execution_id: executionId }, created: current === undefined };
  });
  const deps: VariableWriteDependencies = {
    settings: testSettings({ corsOrigins: ['https://editor.example'] }),
    limits: limits(),
    variables: { put, putMany: jest.fn(), delete: jest.fn() },
    idempotency: rememberingGate(),
    ...overrides,
  };
  return { deps, put };
}

afterEach(() => variableWrites.use(undefined));

describe('PUT /variables/{name}, in process with in-memory ports', () => {
  it('stores the variable: 201 with its metadata, ETag and the CORS headers of the configured origin', async () => {
    const { deps, put: stored } = inMemoryWrites();
    variableWrites.use(deps);
    const { event, context } = put({ value: 'abc', source_step_index: 2 }, { origin: 'https://editor.example' });
    const result = await handler(event, context);
    expect(result).toMatchObject({
      statusCode: 201,
      headers: { ETag: '"1"', 'Access-Control-Allow-Origin': 'https://editor.example', Vary: 'Origin' },
    });
    expect(jsonBody(result)).toMatchObject({ variable_name: 'token', version: 1 });
    expect(stored).toHaveBeenCalledWith('run-1', expect.objectContaining({ variable_name: 'token', value: 'abc' }), undefined);
  });

  it('passes If-Match on and answers the write again for a repeated Idempotency-Key', async () => {
    const { deps, put: stored } = inMemoryWrites();
    variableWrites.use(deps);
    await handler(...args(put({ value: 1, source_step_index: 0 })));
    const first = await handler(...args(put({ value: 2, source_step_index: 0 }, { 'if-match': '"1"', 'idempotency-key': 'k-1' })));
    const again = await handler(...args(put({ value: 2, source_step_index: 0 }, { 'if-match': '"1"', 'idempotency-key': 'k-1' })));
    expect(first).toMatchObject({ statusCode: 200, headers: { ETag: '"2"' } });
    expect(again).toMatchObject({ statusCode: 200, headers: { ETag: '"2"' } });
    expect(stored).toHaveBeenCalledTimes(2);
    expect((deps.idempotency as ReturnType<typeof rememberingGate>).scopes).toEqual([`PUT ${PATH} k-1`, `PUT ${PATH} k-1`]);
  });

  it('answers a malformed body in the error shape, with CORS, and writes nothing', async () => {
    const { deps, put: stored } = inMemoryWrites();
    variableWrites.use(deps);
    const result = await handler(...args(put('{"value": ')));
    expect(result).toMatchObject({ statusCode: 400, headers: { Vary: 'Origin' } });
    expect(jsonBody(result)).toMatchObject({ success: false, error: { code: 'INVALID_JSON' } });
    expect(stored).not.toHaveBeenCalled();
  });

  it('takes auth from the injected settings: without the token it is 401 and nothing runs', async () => {
    const { deps, put: stored } = inMemoryWrites({ settings: testSettings({ apiToken: 'let-me-in' }) });
    variableWrites.use(deps);
    const refused = await handler(...args(put({ value: 1, source_step_index: 0 })));
    expect(refused).toMatchObject({ statusCode: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
    const allowed = await handler(...args(put({ value: 1, source_step_index: 0 }, { authorization: 'Bearer let-me-in' })));
    expect(allowed).toMatchObject({ statusCode: 201 });
    expect(stored).toHaveBeenCalledTimes(1);
  });

  it('counts every request before parsing: over the limit, 429 with Retry-After, malformed or not, nothing stored', async () => {
    const seen: string[] = [];
    const rateLimiter = {
      perMinute: 1,
      consume: async (client: string) => {
        seen.push(client);
        return { allowed: false as const, retryAfterSeconds: 30 };
      },
    } as unknown as ClientRateLimiter;
    const { deps, put: stored } = inMemoryWrites({ limits: { ...limits(), rateLimiter } });
    variableWrites.use(deps);
    const malformed = await handler(...args(put('{')));
    expect(malformed).toMatchObject({ statusCode: 429, headers: { 'Retry-After': '30' } });
    const limited = await handler(...args(put({ value: 1, source_step_index: 0 })));
    expect(limited).toMatchObject({ statusCode: 429, headers: { 'Retry-After': '30', Vary: 'Origin' } });
    expect(seen).toEqual(['ip:198.51.100.7', 'ip:198.51.100.7']);
    expect(stored).not.toHaveBeenCalled();
  });

  it('maps a use-case error to its status, and an unexpected one to a bare 500', async () => {
    const { deps } = inMemoryWrites();
    variableWrites.use(deps);
    await handler(...args(put({ value: 1, source_step_index: 0 })));
    const conflict = await handler(...args(put({ value: 1, source_step_index: 0 }, { 'if-match': '7' })));
    expect(jsonBody(conflict)).toMatchObject({ error: { code: 'VERSION_MISMATCH' } });
    const broken = inMemoryWrites();
    broken.put.mockRejectedValueOnce(new Error('socket hang up'));
    variableWrites.use(broken.deps);
    const failed = await handler(...args(put({ value: 1, source_step_index: 0 })));
    expect(failed.statusCode).toBe(500);
    expect(failed.body).not.toContain('socket');
  });
});

function args(made: ReturnType<typeof createTestEvent>) {
  return [made.event, made.context] as const;
}

/**
 * Idempotency-Key end to end (API.md §2 "Idempotency") on the variable writes: replay of the first
 * 2xx response, 422 on a different body, scoping by method/path/execution, 4xx not remembered,
 * concurrent duplicates never writing twice.
 */
import { randomUUID } from 'node:crypto';
import {
  etagVersion,
  executionPath,
  expectAbsent,
  expectError,
  expectStatus,
  MIB,
  newExecutionId,
  putVariable,
  stringOfJsonBytes,
  useServer,
  variablePath,
  variablesPath,
  type Response,
} from './support';

const ctx = useServer();

const key = (): string => `idem-${randomUUID()}`;
const withKey = (k: string, extra: Record<string, string> = {}) => ({ 'Idempotency-Key': k, ...extra });

async function read(exec: string, name: string): Promise<Response> {
  return ctx.call('GET', variablePath(exec, name));
}

describe('replay', () => {
  test('a repeat with the same JSON (other key order and spacing) gets the first 201 again and writes nothing', async () => {
    const exec = newExecutionId('idem-replay');
    const k = key();
    const first = await ctx.call(
      'PUT',
      variablePath(exec, 'x'),
      '{"value": {"a": 1, "b": [1, 2]}, "source_step_index": 3, "source_api_method": "aiQuery"}',
      withKey(k),
    );
    expectStatus(first, 201);
    expect(first.json.version).toBe(1);
    const repeat = await ctx.call(
      'PUT',
      variablePath(exec, 'x'),
      '{\n  "source_api_method":"aiQuery",\n  "source_step_index":3,\n  "value":{"b":[1,2],"a":1}\n}',
      withKey(k),
    );
    expect(repeat.status).toBe(201);
    expect(repeat.json).toEqual(first.json);
    expect(etagVersion(repeat)).toBe(1);
    const stored = await read(exec, 'x');
    expect(stored.json.version).toBe(1);
    expect(stored.json.updated_at).toBe(first.json.updated_at);
  });

  test('a replay answers the first response even after a later write, and writes nothing', async () => {
    const exec = newExecutionId('idem-later');
    const k = key();
    const first = await putVariable(ctx.call, exec, 'x', 'first', {}, withKey(k));
    expectStatus(first, 201);
    const other = await putVariable(ctx.call, exec, 'x', 'other');
    expectStatus(other, 200);
    const repeat = await putVariable(ctx.call, exec, 'x', 'first', {}, withKey(k));
    expect(repeat.status).toBe(201);
    expect(repeat.json).toEqual(first.json);
    const stored = await read(exec, 'x');
    expect(stored.json.value).toBe('other');
    expect(stored.json.version).toBe(2);
  });

  test('a replay after the variable was deleted does not bring it back', async () => {
    const exec = newExecutionId('idem-deleted');
    const k = key();
    const first = await putVariable(ctx.call, exec, 'x', 1, {}, withKey(k));
    expectStatus(first, 201);
    expectStatus(await ctx.call('DELETE', variablePath(exec, 'x')), 204);
    const repeat = await putVariable(ctx.call, exec, 'x', 1, {}, withKey(k));
    expect(repeat.status).toBe(201);
    expect(repeat.json).toEqual(first.json);
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('an overwrite (200) is replayed as 200 with the same version', async () => {
    const exec = newExecutionId('idem-200');
    expectStatus(await putVariable(ctx.call, exec, 'x', 1), 201);
    const k = key();
    const first = await putVariable(ctx.call, exec, 'x', 2, {}, withKey(k));
    expectStatus(first, 200);
    expect(first.json.version).toBe(2);
    for (let i = 0; i < 3; i += 1) {
      const repeat = await putVariable(ctx.call, exec, 'x', 2, {}, withKey(k));
      expect(repeat.status).toBe(200);
      expect(repeat.json).toEqual(first.json);
    }
    expect((await read(exec, 'x')).json.version).toBe(2);
  });

  test('POST single and POST batch replay their first response', async () => {
    const exec = newExecutionId('idem-post');
    const single = { variable_name: 's', value: { n: 1 }, source_step_index: 0 };
    const k1 = key();
    const first = await ctx.call('POST', variablesPath(exec), single, withKey(k1));
    expectStatus(first, 201);
    const again = await ctx.call('POST', variablesPath(exec), { source_step_index: 0, value: { n: 1 }, variable_name: 's' }, withKey(k1));
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);

    const batch = {
      variables: [
        { variable_name: 'a', value: 1, source_step_index: 0 },
        { variable_name: 'b', value: 2, source_step_index: 1 },
      ],
    };
    const k2 = key();
    const firstBatch = await ctx.call('POST', variablesPath(exec), batch, withKey(k2));
    expectStatus(firstBatch, 200);
    const againBatch = await ctx.call('POST', variablesPath(exec), batch, withKey(k2));
    expect(againBatch.status).toBe(200);
    expect(againBatch.json).toEqual(firstBatch.json);
    expect((await read(exec, 'a')).json.version).toBe(1);
    expect((await read(exec, 'b')).json.version).toBe(1);
    expect((await read(exec, 's')).json.version).toBe(1);
  });

  test('DELETE of a variable is replayed as 204 and deletes nothing the second time', async () => {
    const exec = newExecutionId('idem-delete');
    expectStatus(await putVariable(ctx.call, exec, 'x', 1), 201);
    const k = key();
    expectStatus(await ctx.call('DELETE', variablePath(exec, 'x'), undefined, withKey(k)), 204);
    expectStatus(await putVariable(ctx.call, exec, 'x', 'recreated'), 201);
    const repeat = await ctx.call('DELETE', variablePath(exec, 'x'), undefined, withKey(k));
    expect(repeat.status).toBe(204);
    expect((await read(exec, 'x')).json.value).toBe('recreated');
  });

  test('DELETE of the execution is replayed as 204 and deletes nothing the second time', async () => {
    const exec = newExecutionId('idem-delete-exec');
    expectStatus(await putVariable(ctx.call, exec, 'x', 1), 201);
    const k = key();
    expectStatus(await ctx.call('DELETE', executionPath(exec), undefined, withKey(k)), 204);
    expectStatus(await putVariable(ctx.call, exec, 'y', 2), 201);
    expect((await ctx.call('DELETE', executionPath(exec), undefined, withKey(k))).status).toBe(204);
    expect((await read(exec, 'y')).json.value).toBe(2);
  });

  test('a 1 MiB value is replayed byte for byte', async () => {
    const exec = newExecutionId('idem-big');
    const value = stringOfJsonBytes(MIB, '中');
    const k = key();
    const first = await putVariable(ctx.call, exec, 'big', value, {}, withKey(k));
    expectStatus(first, 201);
    const repeat = await putVariable(ctx.call, exec, 'big', value, {}, withKey(k));
    expect(repeat.status).toBe(201);
    expect(repeat.json).toEqual(first.json);
    expect((await read(exec, 'big')).json.version).toBe(1);
  });
});

describe('reuse with a different body', () => {
  test('→ 422 IDEMPOTENCY_KEY_REUSED and nothing stored', async () => {
    const exec = newExecutionId('idem-reuse');
    const k = key();
    expectStatus(await putVariable(ctx.call, exec, 'x', 'one', {}, withKey(k)), 201);
    for (const [value, fields] of [
      ['two', {}],
      ['one', { source_step_index: 1 }],
      ['one', { sensitive: true }],
      ['one', { source_api_method: 'aiString' }],
    ] as const) {
      expectError(await putVariable(ctx.call, exec, 'x', value, fields, withKey(k)), 'IDEMPOTENCY_KEY_REUSED');
    }
    const stored = await read(exec, 'x');
    expect(stored.json.value).toBe('one');
    expect(stored.json.version).toBe(1);
    expect(stored.json.sensitive).toBe(false);
  });

  test('a batch reused with different items → 422 and nothing stored', async () => {
    const exec = newExecutionId('idem-reuse-batch');
    const k = key();
    expectStatus(
      await ctx.call('POST', variablesPath(exec), { variables: [{ variable_name: 'a', value: 1, source_step_index: 0 }] }, withKey(k)),
      200,
    );
    expectError(
      await ctx.call(
        'POST',
        variablesPath(exec),
        {
          variables: [
            { variable_name: 'a', value: 1, source_step_index: 0 },
            { variable_name: 'b', value: 2, source_step_index: 0 },
          ],
        },
        withKey(k),
      ),
      'IDEMPOTENCY_KEY_REUSED',
    );
    await expectAbsent(ctx.call, exec, 'b');
    expect((await read(exec, 'a')).json.version).toBe(1);
  });
});

describe('scope: method, path and execution', () => {
  test('the same key on another path, method or execution is independent', async () => {
    const exec = newExecutionId('idem-scope');
    const other = newExecutionId('idem-scope-other');
    const k = key();
    expectStatus(await putVariable(ctx.call, exec, 'a', 'A', {}, withKey(k)), 201);
    const otherPath = await putVariable(ctx.call, exec, 'b', 'B', {}, withKey(k));
    expectStatus(otherPath, 201);
    expect(otherPath.json.variable_name).toBe('b');
    const otherMethod = await ctx.call('POST', variablesPath(exec), { variable_name: 'c', value: 'C', source_step_index: 0 }, withKey(k));
    expectStatus(otherMethod, 201);
    expect(otherMethod.json.variable_name).toBe('c');
    const otherExecution = await putVariable(ctx.call, other, 'a', 'other', {}, withKey(k));
    expectStatus(otherExecution, 201);
    expect(otherExecution.json.execution_id).toBe(other);
    const deleteSameKey = await ctx.call('DELETE', variablePath(exec, 'a'), undefined, withKey(k));
    expectStatus(deleteSameKey, 204);
    await expectAbsent(ctx.call, exec, 'a');
    expect((await read(exec, 'b')).json.value).toBe('B');
    expect((await read(exec, 'c')).json.value).toBe('C');
    expect((await read(other, 'a')).json.value).toBe('other');
  });
});

describe('4xx answers are not remembered', () => {
  test('an invalid first request, then a valid one with the same key, succeeds', async () => {
    const exec = newExecutionId('idem-4xx');
    const k = key();
    expectError(await putVariable(ctx.call, exec, 'x', 1, { source_step_index: -1 }, withKey(k)), 'INVALID_STEP_INDEX');
    expectError(await putVariable(ctx.call, exec, 'x', 1, { source_step_index: -1 }, withKey(k)), 'INVALID_STEP_INDEX');
    expectError(await ctx.call('PUT', variablePath(exec, 'x'), '{"value":', withKey(k)), 'INVALID_JSON');
    const ok = await putVariable(ctx.call, exec, 'x', 1, {}, withKey(k));
    expectStatus(ok, 201);
    expect((await read(exec, 'x')).json.version).toBe(1);
  });

  test('a 412 is not remembered: the same key and body succeed once If-Match is right', async () => {
    const exec = newExecutionId('idem-412');
    expectStatus(await putVariable(ctx.call, exec, 'x', 'v1'), 201);
    const k = key();
    expectError(await putVariable(ctx.call, exec, 'x', 'v2', {}, withKey(k, { 'If-Match': '7' })), 'VERSION_MISMATCH');
    const ok = await putVariable(ctx.call, exec, 'x', 'v2', {}, withKey(k, { 'If-Match': '1' }));
    expectStatus(ok, 200);
    expect(ok.json.version).toBe(2);
  });

  test('a 404 DELETE is not remembered', async () => {
    const exec = newExecutionId('idem-404');
    const k = key();
    expectError(await ctx.call('DELETE', variablePath(exec, 'x'), undefined, withKey(k)), 'VARIABLE_NOT_FOUND');
    expectStatus(await putVariable(ctx.call, exec, 'x', 1), 201);
    expectStatus(await ctx.call('DELETE', variablePath(exec, 'x'), undefined, withKey(k)), 204);
    await expectAbsent(ctx.call, exec, 'x');
  });

  test('a 413 is not remembered', async () => {
    const exec = newExecutionId('idem-413');
    const k = key();
    expectError(await putVariable(ctx.call, exec, 'x', stringOfJsonBytes(MIB + 1), {}, withKey(k)), 'VALUE_TOO_LARGE');
    expectStatus(await putVariable(ctx.call, exec, 'x', 'small', {}, withKey(k)), 201);
  });
});

describe('the key itself', () => {
  test('255 printable ASCII characters are accepted', async () => {
    const exec = newExecutionId('idem-key-255');
    const k = `${'k'.repeat(250)}!~#$%`;
    expect(k).toHaveLength(255);
    const first = await putVariable(ctx.call, exec, 'x', 1, {}, withKey(k));
    expectStatus(first, 201);
    const repeat = await putVariable(ctx.call, exec, 'x', 1, {}, withKey(k));
    expect(repeat.json).toEqual(first.json);
  });

  test('a space inside the key is printable ASCII (0x20-0x7E) and accepted', async () => {
    const exec = newExecutionId('idem-key-space');
    const k = `order 42 ${randomUUID()}`;
    const first = await putVariable(ctx.call, exec, 'x', 1, {}, withKey(k));
    expectStatus(first, 201);
    const repeat = await putVariable(ctx.call, exec, 'x', 1, {}, withKey(k));
    expect(repeat.json).toEqual(first.json);
  });

  test('a key over 255 characters → 400 INVALID_REQUEST and nothing stored', async () => {
    const exec = newExecutionId('idem-key-256');
    expectError(await putVariable(ctx.call, exec, 'x', 1, {}, withKey('k'.repeat(256))), 'INVALID_REQUEST');
    await expectAbsent(ctx.call, exec, 'x');
  });
});

describe('concurrent duplicates', () => {
  test('identical requests fired together write once: each answer is the replay or 409 REQUEST_IN_PROGRESS', async () => {
    for (let round = 0; round < 8; round += 1) {
      const exec = newExecutionId('idem-race');
      const k = key();
      const value = round % 2 === 0 ? { round } : stringOfJsonBytes(MIB, 'x');
      const responses = await Promise.all(
        Array.from({ length: round < 4 ? 2 : 5 }, () => putVariable(ctx.call, exec, 'x', value, { source_step_index: round }, withKey(k))),
      );
      const successes = responses.filter((response) => response.status === 201);
      const inProgress = responses.filter((response) => response.status === 409);
      expect(successes.length + inProgress.length).toBe(responses.length);
      expect(successes.length).toBeGreaterThanOrEqual(1);
      for (const response of successes) expect(response.json).toEqual(successes[0].json);
      for (const response of inProgress) expectError(response, 'REQUEST_IN_PROGRESS');
      const stored = await read(exec, 'x');
      expect(stored.json.version).toBe(1);
      expect(stored.json.updated_at).toBe(successes[0].json.updated_at);
      // Once the first finished, a retry is a plain replay.
      const retry = await putVariable(ctx.call, exec, 'x', value, { source_step_index: round }, withKey(k));
      expect(retry.status).toBe(201);
      expect(retry.json).toEqual(successes[0].json);
    }
  });

  test('concurrent duplicates on an existing variable bump the version once', async () => {
    const exec = newExecutionId('idem-race-existing');
    expectStatus(await putVariable(ctx.call, exec, 'x', 0), 201);
    const k = key();
    const responses = await Promise.all(Array.from({ length: 6 }, () => putVariable(ctx.call, exec, 'x', 'new', {}, withKey(k))));
    for (const response of responses) expect([200, 409]).toContain(response.status);
    const oks = responses.filter((response) => response.status === 200);
    expect(oks.length).toBeGreaterThanOrEqual(1);
    for (const response of oks) expect(response.json.version).toBe(2);
    expect((await read(exec, 'x')).json.version).toBe(2);
  });
});

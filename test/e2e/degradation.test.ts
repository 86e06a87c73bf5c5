/**
 * Degradation end to end (API.md §6, §7 DYNAMODB_ENDPOINT): the server runs against an external
 * dynalite that this test process starts, stops and restarts on the same port (persisting under a
 * temporary directory, so the database that comes back is the same one).
 * While it is gone: suggestions answer 200 in "basic" mode from what the instance cached, validate
 * falls back to grammar-only checks ("syntax_only"), reads and writes fail fast with 503 and
 * Retry-After, health is 503 "down". When it returns, the service recovers by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startExternalDynamo, type ExternalDynamo } from '../support/external-dynamo';
import { api, freePort, startLocalServer, type LocalServer } from '../support/local-server';
import {
  expectError,
  expectStatus,
  newExecutionId,
  seedOneByOne,
  sleep,
  suggestionsPath,
  validatePath,
  variablePath,
  variablesPath,
  type Call,
} from './hints-support';

/** Calls and measures. */
async function timed(call: Call, method: string, urlPath: string, body?: unknown) {
  const started = Date.now();
  const response = await call(method, urlPath, body);
  return { response, ms: Date.now() - started };
}

async function pollUntil<T>(deadlineMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: T | undefined;
  for (;;) {
    last = await attempt();
    if (last !== undefined) return last;
    if (Date.now() > deadline) throw new Error(`condition not met within ${deadlineMs} ms`);
    await sleep(250);
  }
}

let dataDir: string;
let port: number;
let dynamo: ExternalDynamo | undefined;
let server: LocalServer;
let call: Call;

const warmed = newExecutionId('deg-warm');
const WARM_NAMES = ['user', 'pw', 'n'];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'variable-service-dynalite-'));
  port = await freePort();
  dynamo = await startExternalDynamo({ port, path: dataDir });
  server = await startLocalServer({ DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`, STORAGE: undefined });
  call = api(server.baseUrl);
  await seedOneByOne(call, warmed, [
    { name: 'user', value: { name: 'Ann', tags: ['a'] }, step: 0 },
    { name: 'pw', value: 'hunter2', step: 0, sensitive: true },
    { name: 'n', value: 5, step: 1 },
  ]);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await dynamo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('§6 degradation with an external DynamoDB endpoint', () => {
  test('baseline: healthy, full suggestions (this also warms the instance)', async () => {
    const health = await call('GET', '/api/health');
    expectStatus(health, 200);
    expect(health.json.status).toBe('ok');
    const full = await call('GET', suggestionsPath(warmed));
    expectStatus(full, 200);
    expect(full.json.mode).toBe('full');
    expect(full.json.variables.map((v: any) => v.name)).toEqual(WARM_NAMES);
    expect(full.json.variables[0].properties).toEqual([
      { name: 'name', type: 'string', value: 'Ann', path: 'user.name' },
      { name: 'tags', type: 'array', value: ['a'], path: 'user.tags' },
    ]);
    expectStatus(await call('GET', `${suggestionsPath(warmed)}?step_index=1`), 200);
    const valid = await call('POST', validatePath(warmed), { references: ['${user.name}'] });
    expectStatus(valid, 200);
    expect(valid.json.validation_results[0]).toEqual({
      reference: '${user.name}',
      is_valid: true,
      resolved_value: 'Ann',
      data_type: 'string',
    });
  });

  describe('while the database is unreachable', () => {
    beforeAll(async () => {
      await dynamo?.stop();
    }, 40_000);

    test('reads and writes fail fast with 503 SERVICE_UNAVAILABLE and Retry-After', async () => {
      const fresh = newExecutionId('deg-fresh');
      const requests: Array<[string, string, unknown?]> = [
        ['GET', variablesPath(fresh)],
        ['GET', variablePath(fresh, 'anything')],
        ['PUT', variablePath(fresh, 'x'), { value: 1, source_step_index: 0 }],
        ['GET', variablesPath(newExecutionId('deg-fresh2'))],
      ];
      for (const [method, urlPath, body] of requests) {
        const { response, ms } = await timed(call, method, urlPath, body);
        expectError(response, 'SERVICE_UNAVAILABLE', 503);
        const retryAfter = response.headers.get('retry-after');
        expect(retryAfter).not.toBeNull();
        expect(retryAfter!.trim()).toMatch(/^\d+$|^[A-Z][a-z]{2}, /);
        expect({ request: `${method} ${urlPath}`, fast: ms < 5000 }).toEqual({ request: `${method} ${urlPath}`, fast: true });
      }
    });

    test('GET /api/health → 503 with status "down"', async () => {
      const { response, ms } = await timed(call, 'GET', '/api/health');
      expect(response.status).toBe(503);
      expect(response.json.status).toBe('down');
      expect(response.json.checks.database.status).not.toBe('ok');
      expect(ms).toBeLessThan(5000);
    });

    test('suggestions answer 200 in "basic" mode from what the instance cached, without properties', async () => {
      const { response, ms } = await timed(call, 'GET', suggestionsPath(warmed));
      expect(ms).toBeLessThan(5000);
      expectStatus(response, 200);
      expect(response.json.mode).toBe('basic');
      expect(response.json.execution_id).toBe(warmed);
      expect(response.json.current_step_index).toBeNull();
      expect(response.json.total_count).toBe(response.json.variables.length);
      expect(response.json.variables.map((v: any) => v.name)).toEqual(WARM_NAMES);
      for (const item of response.json.variables) {
        expect('properties' in item).toBe(false);
        expect(typeof item.data_type).toBe('string');
        expect(Number.isInteger(item.source_step_index)).toBe(true);
      }
      expect(response.json.variables.map((v: any) => [v.name, v.data_type, v.source_step_index])).toEqual([
        ['user', 'object', 0],
        ['pw', 'string', 0],
        ['n', 'number', 1],
      ]);
      expect(response.text).not.toContain('hunter2');

      const filtered = await call('GET', `${suggestionsPath(warmed)}?step_index=1&limit=5`);
      expectStatus(filtered, 200);
      expect(filtered.json.mode).toBe('basic');
      expect(filtered.json.current_step_index).toBe(1);
      expect(filtered.json.variables.map((v: any) => v.name)).toEqual(['user', 'pw']);

      // An execution this instance never saw: still 200 "basic", nothing to offer.
      const unknown = await call('GET', suggestionsPath(newExecutionId('deg-unknown')));
      expectStatus(unknown, 200);
      expect(unknown.json.mode).toBe('basic');
      expect(unknown.json.variables).toEqual([]);
      expect(unknown.json.total_count).toBe(0);
    });

    test('validate falls back to grammar-only checks, each item marked mode "syntax_only"', async () => {
      const fresh = newExecutionId('deg-validate');
      const inputs: unknown[] = ['${user.name}', '${ a }', 'x ${a}', 42, '${a..b}', '  ${items[0]}  ', '${ghost}'];
      const { response, ms } = await timed(call, 'POST', validatePath(fresh), { references: inputs });
      expect(ms).toBeLessThan(5000);
      expectStatus(response, 200);
      const results = response.json.validation_results;
      expect(results).toHaveLength(inputs.length);
      for (const result of results) expect(result.mode).toBe('syntax_only');
      expect(results.map((r: any) => r.error_code ?? null)).toEqual([
        null,
        'INVALID_SYNTAX',
        'INVALID_FORMAT',
        'INVALID_FORMAT',
        'INVALID_SYNTAX',
        null,
        null,
      ]);
      for (const i of [1, 2, 3, 4]) expect(results[i].is_valid).toBe(false);
      for (const i of [0, 5, 6]) expect(results[i].is_valid).toBe(true);
      expect(results.map((r: any) => r.reference)).toEqual(inputs.map((input, i) => (i === 5 ? results[5].reference : input)));

      // The warmed execution: answered either from the instance's cache (normal items) or grammar-only.
      const warm = await call('POST', validatePath(warmed), { references: ['${user.name}', '${ a }'] });
      expectStatus(warm, 200);
      const [first, second] = warm.json.validation_results;
      expect(second.error_code).toBe('INVALID_SYNTAX');
      if (first.mode === 'syntax_only') expect(first.is_valid).toBe(true);
      else expect(first).toEqual({ reference: '${user.name}', is_valid: true, resolved_value: 'Ann', data_type: 'string' });
    });

    test('it keeps failing fast on repeated requests (no hanging)', async () => {
      const started = Date.now();
      for (let i = 0; i < 6; i += 1) {
        const response = await call('GET', variablesPath(newExecutionId('deg-repeat')));
        expectError(response, 'SERVICE_UNAVAILABLE', 503);
        expect(response.headers.get('retry-after')).not.toBeNull();
      }
      expect(Date.now() - started).toBeLessThan(6 * 5000);
    });
  });

  describe('when the database returns on the same port', () => {
    beforeAll(async () => {
      dynamo = await startExternalDynamo({ port, path: dataDir });
    }, 30_000);

    test('health recovers by itself within ~10 s', async () => {
      const started = Date.now();
      const health = await pollUntil(15_000, async () => {
        const response = await call('GET', '/api/health');
        return response.status === 200 ? response : undefined;
      });
      expect(health.json.status).toBe('ok');
      expect(Date.now() - started).toBeLessThan(15_000);
    }, 30_000);

    test('data written before the outage is served again; writes work; suggestions and validate are full again', async () => {
      const read = await pollUntil(10_000, async () => {
        const response = await call('GET', variablePath(warmed, 'user'));
        return response.status === 200 ? response : undefined;
      });
      expect(read.json.value).toEqual({ name: 'Ann', tags: ['a'] });

      const fresh = newExecutionId('deg-after');
      expectStatus(await call('PUT', variablePath(fresh, 'x'), { value: { k: 1 }, source_step_index: 0 }), 201);
      const list = await call('GET', variablesPath(fresh));
      expectStatus(list, 200);
      expect(list.json.variables.map((v: any) => v.variable_name)).toEqual(['x']);

      const full = await pollUntil(12_000, async () => {
        const response = await call('GET', suggestionsPath(warmed));
        return response.status === 200 && response.json.mode === 'full' ? response : undefined;
      });
      expect(full.json.variables[0].properties).toEqual([
        { name: 'name', type: 'string', value: 'Ann', path: 'user.name' },
        { name: 'tags', type: 'array', value: ['a'], path: 'user.tags' },
      ]);

      const valid = await call('POST', validatePath(fresh), { references: ['${x.k}', '${x.z}'] });
      expectStatus(valid, 200);
      expect(valid.json.validation_results[0]).toMatchObject({ reference: '${x.k}', is_valid: true, data_type: 'number' });
      expect(valid.json.validation_results[0].resolved_value).toBe(1);
      expect('mode' in valid.json.validation_results[0]).toBe(false);
      expect(valid.json.validation_results[1].error_code).toBe('PROPERTY_NOT_FOUND');
      expect('mode' in valid.json.validation_results[1]).toBe(false);
    }, 40_000);
  });
});

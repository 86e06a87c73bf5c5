/**
 * Shared helpers for the end-to-end tests of references, resolution, lineage, validation and the
 * smart hints (API.md §4, §5 "Smart hints", "Resolution and lineage", §6). Builds on ./support.
 */
import { executionPath, expectError, expectStatus, ISO_MS, variablesPath, type Call, type Response } from './support';

export * from './support';

export interface Seed {
  name: string;
  value: unknown;
  step?: number;
  sensitive?: boolean;
  method?: string;
}

/**
 * Seeding behaves like a well-mannered client (API.md §2: 503 comes with Retry-After): on a busy
 * machine the embedded database can time out a large batch and open the circuit for a moment, which
 * is not what these tests are about. Assertions themselves never retry.
 */
export async function withRetryAfter(send: () => Promise<Response>, attempts = 5): Promise<Response> {
  let response = await send();
  for (let attempt = 1; attempt < attempts && response.status === 503; attempt += 1) {
    const seconds = Number(response.headers.get('retry-after') ?? '1');
    // At least 2 s: the server's database circuit stays open that long even when Retry-After says 1.
    await new Promise((resolve) => setTimeout(resolve, Math.min(5, Math.max(2, Number.isFinite(seconds) ? seconds : 1)) * 1000 + 250));
    response = await send();
  }
  return response;
}

/** Stores variables through the batch endpoint (50 per request, to stay light on a busy machine), in order. */
export async function seed(call: Call, executionId: string, variables: Seed[]): Promise<any[]> {
  const results: any[] = [];
  for (let start = 0; start < variables.length; start += 50) {
    const chunk = variables.slice(start, start + 50).map((v) => ({
      variable_name: v.name,
      value: v.value,
      source_step_index: v.step ?? 0,
      ...(v.sensitive !== undefined ? { sensitive: v.sensitive } : {}),
      ...(v.method !== undefined ? { source_api_method: v.method } : {}),
    }));
    const response = await withRetryAfter(() => call('POST', variablesPath(executionId), { variables: chunk }));
    expectStatus(response, 200);
    results.push(...response.json.results);
  }
  return results;
}

/** Stores one variable per request, in order (so updated_at follows the call order). */
export async function seedOneByOne(call: Call, executionId: string, variables: Seed[], pauseMs = 3): Promise<void> {
  for (const v of variables) {
    const response = await withRetryAfter(() =>
      call('PUT', `${variablesPath(executionId)}/${encodeURIComponent(v.name)}`, {
        value: v.value,
        source_step_index: v.step ?? 0,
        ...(v.sensitive !== undefined ? { sensitive: v.sensitive } : {}),
        ...(v.method !== undefined ? { source_api_method: v.method } : {}),
      }),
    );
    expectStatus(response, 200, 201);
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

export const resolvePath = (executionId: string): string => `${executionPath(executionId)}/resolve`;
export const referencesPath = (executionId: string): string => `${executionPath(executionId)}/variable-references`;
export const suggestionsPath = (executionId: string): string => `${executionPath(executionId)}/variable-suggestions`;
export const searchPath = (executionId: string): string => `${executionPath(executionId)}/variable-suggestions/search`;
export const validatePath = (executionId: string): string => `${variablesPath(executionId)}/validate`;
export const propertiesPath = (executionId: string, name: string): string =>
  `${variablesPath(executionId)}/${encodeURIComponent(name)}/properties`;

/** POST /resolve. */
export function resolve(call: Call, executionId: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call('POST', resolvePath(executionId), body, headers);
}

/** POST /resolve in text mode and assert 200. */
export async function resolveText(
  call: Call,
  executionId: string,
  text: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<any> {
  const response = await resolve(call, executionId, { step_index: 1, text, ...extra }, headers);
  expectStatus(response, 200);
  return response.json;
}

/** POST /resolve in params mode and assert 200. */
export async function resolveParams(call: Call, executionId: string, params: unknown, extra: Record<string, unknown> = {}): Promise<any> {
  const response = await resolve(call, executionId, { step_index: 1, params, ...extra });
  expectStatus(response, 200);
  return response.json;
}

/** The fields of a reference record, API.md §4. */
export const RECORD_KEYS = [
  'step_index',
  'variable_name',
  'reference_path',
  'parameter_name',
  'original_expression',
  'resolved_value',
  'resolution_status',
  'error_code',
  'error_message',
  'created_at',
].sort();

/** Asserts the exact record shape of §4 and its invariants, plus the given field values. */
export function expectRecord(record: any, expected: Record<string, unknown> = {}): void {
  expect(Object.keys(record).sort()).toEqual(RECORD_KEYS);
  expect(record.created_at).toMatch(ISO_MS);
  expect(Number.isInteger(record.step_index)).toBe(true);
  expect(typeof record.variable_name).toBe('string');
  expect(typeof record.reference_path).toBe('string');
  expect(typeof record.parameter_name).toBe('string');
  expect(record.original_expression).toBe(`\${${record.reference_path}}`);
  expect(['success', 'failed']).toContain(record.resolution_status);
  if (record.resolution_status === 'success') {
    expect(typeof record.resolved_value).toBe('string');
    expect(record.error_code).toBeNull();
    expect(record.error_message).toBeNull();
  } else {
    expect(record.resolved_value).toBeNull();
    expect(typeof record.error_code).toBe('string');
    expect(typeof record.error_message).toBe('string');
    expect(record.error_message.length).toBeGreaterThan(0);
  }
  for (const [key, value] of Object.entries(expected)) expect({ [key]: record[key] }).toEqual({ [key]: value });
}

/** A compact summary of records for order/identity comparisons. */
export const brief = (records: any[]): Array<[number, string, string, string]> =>
  records.map((r) => [r.step_index, r.original_expression, r.resolution_status, r.parameter_name]);

/** Follows next_cursor through GET /variable-references; returns every page. */
export async function listAllReferences(call: Call, executionId: string, query: Record<string, string> = {}): Promise<any[]> {
  const pages: any[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const params = new URLSearchParams(query);
    if (cursor !== null) params.set('cursor', cursor);
    const response = await call('GET', `${referencesPath(executionId)}?${params.toString()}`);
    expectStatus(response, 200);
    pages.push(response.json);
    cursor = response.json.next_cursor;
    if (cursor === null) return pages;
  }
  throw new Error('reference pagination did not end');
}

/** All records of an execution (every page). */
export async function allReferences(call: Call, executionId: string, query: Record<string, string> = {}): Promise<any[]> {
  return (await listAllReferences(call, executionId, query)).flatMap((page) => page.references);
}

/** Number of Unicode code points. */
export const codePointLength = (text: string): number => [...text].length;

/** Asserts a 400 whose code is one of the given codes (when the contract allows several). */
export function expectBadRequest(response: Response, codes: string[] = ['INVALID_REQUEST']): string {
  if (response.status !== 400 || !codes.includes(response.json?.error?.code)) {
    throw new Error(`expected 400 ${codes.join('|')}, got ${response.status} ${response.text.slice(0, 400)}`);
  }
  expectError(response, response.json.error.code, 400);
  return response.json.error.code;
}

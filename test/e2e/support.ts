/**
 * Shared helpers for the end-to-end HTTP tests of the variable store (API.md §1-§3, §5, §7).
 * Each test file starts one local server (`useServer`) and isolates its tests with unique
 * execution ids (`newExecutionId`).
 */
import { request as httpRequest } from 'node:http';
import { createVariableServiceClient, type VariableServiceClient } from '@variable-service/client';
import { api, startLocalServer, type LocalServer } from '../support/local-server';
import { expectDocumentedAnswer } from '../support/contract-check';
import { checkedFetch } from '../support/contract-http';

export type Call = ReturnType<typeof api>;
export type Response = Awaited<ReturnType<Call>>;

export const MIB = 1024 * 1024;
export const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
export const METADATA_KEYS = [
  'execution_id',
  'variable_name',
  'data_type',
  'source_step_index',
  'source_api_method',
  'version',
  'size_bytes',
  'sensitive',
  'created_at',
  'updated_at',
].sort();

/** API.md §2: each code's HTTP status and error_type. */
export const ERROR_TABLE: Record<string, { status: number; errorType: string }> = {
  INVALID_REQUEST: { status: 400, errorType: 'validation_error' },
  INVALID_JSON: { status: 400, errorType: 'validation_error' },
  INVALID_EXECUTION_ID: { status: 400, errorType: 'validation_error' },
  INVALID_VARIABLE_NAME: { status: 400, errorType: 'validation_error' },
  INVALID_STEP_INDEX: { status: 400, errorType: 'validation_error' },
  UNAUTHORIZED: { status: 401, errorType: 'api_error' },
  VARIABLE_NOT_FOUND: { status: 404, errorType: 'business_logic_error' },
  PROPERTY_NOT_FOUND: { status: 404, errorType: 'business_logic_error' },
  ROUTE_NOT_FOUND: { status: 404, errorType: 'api_error' },
  METHOD_NOT_ALLOWED: { status: 405, errorType: 'api_error' },
  REQUEST_IN_PROGRESS: { status: 409, errorType: 'business_logic_error' },
  VERSION_MISMATCH: { status: 412, errorType: 'business_logic_error' },
  VALUE_TOO_LARGE: { status: 413, errorType: 'validation_error' },
  PAYLOAD_TOO_LARGE: { status: 413, errorType: 'validation_error' },
  RESPONSE_TOO_LARGE: { status: 413, errorType: 'validation_error' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: 'validation_error' },
  UNRESOLVED_REFERENCES: { status: 422, errorType: 'business_logic_error' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, errorType: 'business_logic_error' },
  RATE_LIMITED: { status: 429, errorType: 'api_error' },
  SERVICE_UNAVAILABLE: { status: 503, errorType: 'database_error' },
  OVERLOADED: { status: 503, errorType: 'system_error' },
  TIMEOUT: { status: 504, errorType: 'system_error' },
  INTERNAL_ERROR: { status: 500, errorType: 'system_error' },
};

export interface ServerContext {
  server: LocalServer;
  baseUrl: string;
  /** Untyped JSON calls (through the typed client when it can send them as given); every answer is contract-checked. */
  call: Call;
  /** The typed client of clients/typescript, for tests that want checked paths and bodies. */
  client: VariableServiceClient;
}

/** Starts one local server for the whole file (beforeAll) and stops it afterwards (afterAll). */
export function useServer(env: Record<string, string | undefined> = {}): ServerContext {
  const context = {} as ServerContext;
  beforeAll(async () => {
    context.server = await startLocalServer(env);
    context.baseUrl = context.server.baseUrl;
    context.call = api(context.baseUrl);
    context.client = createVariableServiceClient({ baseUrl: context.baseUrl, token: env.API_TOKEN, fetch: checkedFetch });
  }, 90_000);
  afterAll(async () => {
    await context.server?.stop();
  }, 30_000);
  return context;
}

let sequence = 0;
/** A unique, valid execution id (≤ 64 chars) per call. */
export function newExecutionId(tag = 'e2e'): string {
  sequence += 1;
  const unique = `${Date.now().toString(36)}${process.pid.toString(36)}${Math.random().toString(36).slice(2, 8)}${sequence}`;
  return `${tag.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 30)}-${unique}`.slice(0, 64);
}

export const executionPath = (executionId: string): string => `/api/v1/executions/${encodeURIComponent(executionId)}`;
export const variablesPath = (executionId: string): string => `${executionPath(executionId)}/variables`;
export const variablePath = (executionId: string, name: string): string => `${variablesPath(executionId)}/${encodeURIComponent(name)}`;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** UTF-8 bytes of the compact JSON of a value (API.md §3's size). */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * A string whose compact JSON (quotes included) is exactly `bytes` UTF-8 bytes, built mostly from
 * `unit` (e.g. 'a', '中' (3 bytes), '😀' (4 bytes), '\n' (2 bytes escaped)) and padded with 'a'.
 */
export function stringOfJsonBytes(bytes: number, unit = 'a'): string {
  const unitBytes = jsonBytes(unit) - 2;
  const content = bytes - 2;
  const count = Math.floor(content / unitBytes);
  const value = unit.repeat(count) + 'a'.repeat(content - count * unitBytes);
  if (jsonBytes(value) !== bytes) throw new Error(`stringOfJsonBytes(${bytes}, ${JSON.stringify(unit)}) built ${jsonBytes(value)} bytes`);
  return value;
}

/** An object/array nesting of exactly `depth` (a scalar is depth 0), alternating arrays and objects. */
export function nestedValue(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 1; level <= depth; level += 1) value = level % 2 === 0 ? { [`k${level}`]: value } : [value];
  return value;
}

export function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const members = Array.isArray(value) ? value : Object.values(value as object);
  return 1 + members.reduce<number>((max, member) => Math.max(max, depthOf(member)), 0);
}

/** Compares two (possibly huge) strings without letting jest print megabytes on failure. */
export function expectSameString(actual: unknown, expected: string): void {
  if (actual === expected) return;
  if (typeof actual !== 'string') throw new Error(`expected a string of ${expected.length} chars, got ${typeof actual}`);
  let index = 0;
  while (index < actual.length && actual[index] === expected[index]) index += 1;
  throw new Error(
    `strings differ: lengths ${actual.length} vs ${expected.length}, first difference at ${index}: ` +
      `${JSON.stringify(actual.slice(index, index + 20))} vs ${JSON.stringify(expected.slice(index, index + 20))}`,
  );
}

export const hasCjk = (text: string): boolean => /[\u3400-\u9fff]/.test(text);

const STACK_TRACE = /\n\s+at\s|node_modules|\.ts:\d+|\.js:\d+|\/work\//;

/** Asserts API.md §2's error shape, status and error_type for `code`; returns `error`. */
export function expectError(response: Response, code: string, status = ERROR_TABLE[code]?.status): any {
  const context = `${code} expected, got ${response.status} ${response.text.slice(0, 400)}`;
  if (response.status !== status || response.json?.error?.code !== code) throw new Error(context);
  const body = response.json;
  expect(Object.keys(body).sort()).toEqual(['error', 'success', 'suggestions', 'user_message']);
  expect(body.success).toBe(false);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'error_type', 'message', 'request_id', 'timestamp']);
  expect(body.error.error_type).toBe(ERROR_TABLE[code].errorType);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.details).not.toBeNull();
  expect(typeof body.error.details).toBe('object');
  expect(Array.isArray(body.error.details)).toBe(false);
  expect(typeof body.error.request_id).toBe('string');
  expect(body.error.request_id.length).toBeGreaterThan(0);
  expect(body.error.timestamp).toMatch(ISO_MS);
  expect(typeof body.user_message).toBe('string');
  expect(body.user_message.length).toBeGreaterThan(0);
  expect(Array.isArray(body.suggestions)).toBe(true);
  for (const suggestion of body.suggestions) expect(typeof suggestion).toBe('string');
  expect(response.text).not.toMatch(STACK_TRACE);
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/i);
  return body.error;
}

/** The variable is not stored: GET answers 404 VARIABLE_NOT_FOUND. */
export async function expectAbsent(call: Call, executionId: string, name: string): Promise<void> {
  const response = await call('GET', variablePath(executionId, name));
  if (response.status !== 404) throw new Error(`expected '${name}' to be absent, got ${response.status} ${response.text.slice(0, 300)}`);
  expectError(response, 'VARIABLE_NOT_FOUND');
}

/** Asserts the exact metadata shape of API.md §5 and its basic invariants. */
export function expectMetadata(metadata: any, expected: Record<string, unknown> = {}, extraKeys: string[] = []): void {
  expect(Object.keys(metadata).sort()).toEqual([...METADATA_KEYS, ...extraKeys].sort());
  expect(metadata.created_at).toMatch(ISO_MS);
  expect(metadata.updated_at).toMatch(ISO_MS);
  expect(metadata.updated_at >= metadata.created_at).toBe(true);
  expect(Number.isInteger(metadata.version)).toBe(true);
  expect(metadata.version).toBeGreaterThanOrEqual(1);
  expect(Number.isInteger(metadata.size_bytes)).toBe(true);
  expect(typeof metadata.sensitive).toBe('boolean');
  expect(['string', 'number', 'boolean', 'object', 'array', 'null']).toContain(metadata.data_type);
  expect(metadata.source_api_method === null || typeof metadata.source_api_method === 'string').toBe(true);
  for (const [key, value] of Object.entries(expected)) expect({ [key]: metadata[key] }).toEqual({ [key]: value });
}

/** The version an ETag header carries (`"3"`, `3` or `W/"3"`). */
export function etagVersion(response: Response): number | undefined {
  const etag = response.headers.get('etag');
  if (etag === null) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(etag.trim());
  return match ? Number(match[1]) : undefined;
}

/** PUT a variable with the usual body. */
export function putVariable(
  call: Call,
  executionId: string,
  name: string,
  value: unknown,
  fields: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  return call('PUT', variablePath(executionId, name), { value, source_step_index: 0, ...fields }, headers);
}

/** Asserts a 2xx status with a helpful message. */
export function expectStatus(response: Response, ...statuses: number[]): void {
  if (!statuses.includes(response.status))
    throw new Error(`expected ${statuses.join('/')}, got ${response.status} ${response.text.slice(0, 400)}`);
}

/** Lists every variable of an execution by following next_cursor; returns the pages. */
export async function listAll(call: Call, executionId: string, query = ''): Promise<any[]> {
  const pages: any[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const params = new URLSearchParams(query);
    if (cursor !== null) params.set('cursor', cursor);
    const response = await call('GET', `${variablesPath(executionId)}?${params.toString()}`);
    expectStatus(response, 200);
    pages.push(response.json);
    cursor = response.json.next_cursor;
    if (cursor === null) return pages;
  }
  throw new Error('pagination did not end');
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/**
 * One request on a fresh connection (no keep-alive), with full control over headers and body
 * (e.g. no Content-Type at all). Fresh connections also spread requests over LOCAL_INSTANCES workers.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const status = response.statusCode ?? 0;
          try {
            expectDocumentedAnswer(
              method,
              url.pathname,
              status,
              { get: (name) => headerValue(response.headers[name.toLowerCase()]) },
              text,
            );
          } catch (error) {
            reject(error);
            return;
          }
          resolve({ status, headers: response.headers, text, json });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Adapts a raw response for `expectError`. */
export function asResponse(raw: RawResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return { status: raw.status, headers, text: raw.text, json: raw.json };
}

/**
 * Every answer the e2e suites receive over HTTP is checked against what the route table documents
 * for its status (the very schemas GET /api/openapi.json is generated from):
 *
 * 1. Find the route by method and path (the fallback for everything else: 404/405/401…).
 * 2. The status must be documented: a success status of the entry, or the status of one of its
 *    error codes (the error shape with `error.code` limited to that status's codes).
 * 3. The body must parse as JSON and match the schema (strict objects: an undocumented field fails);
 *    204 and HEAD answers have no body.
 * 4. The headers the entry marks as always sent (ETag, Retry-After, Allow, WWW-Authenticate) are there.
 */
import type * as z from 'zod/mini';
import type { ErrorCode } from '#domain/errors';
import { ERROR_STATUS_HEADERS, FALLBACK_ERRORS, matchRoute, type HeaderContract } from '#functions/routes';
import { errorBodyWith } from '#schemas/errors';
import { errorCodesByStatus } from '#schemas/openapi';

interface HeaderReader {
  get(name: string): string | null;
}

const errorSchemas = new Map<string, z.ZodMiniType>();
function errorSchema(codes: readonly ErrorCode[]): z.ZodMiniType {
  const key = [...codes].sort().join(',');
  let schema = errorSchemas.get(key);
  if (!schema) errorSchemas.set(key, (schema = errorBodyWith(codes)));
  return schema;
}

interface Expectation {
  label: string;
  schemas: z.ZodMiniType[];
  noBody: boolean;
  headers: Record<string, HeaderContract>;
}

function expectationFor(method: string, path: string, status: number): Expectation | string {
  let match = matchRoute(method, path);
  // HEAD is GET without the body (RFC 9110 §9.3.2) where the server answers it on GET routes.
  if (method === 'HEAD' && match.kind !== 'matched' && status !== 405) {
    const asGet = matchRoute('GET', path);
    if (asGet.kind === 'matched') match = asGet;
  }
  if (match.kind !== 'matched') {
    const codes = FALLBACK_ERRORS.filter((code) => errorCodesByStatus([code]).has(status));
    if (method === 'OPTIONS' && status === 204) return { label: `OPTIONS ${path}`, schemas: [], noBody: true, headers: {} };
    if (codes.length === 0) return `${method} ${path} (no route) answered ${status}, which the fallback does not document`;
    return {
      label: `${method} ${path} (fallback)`,
      schemas: [errorSchema(codes)],
      noBody: false,
      headers: ERROR_STATUS_HEADERS[status] ?? {},
    };
  }
  const { route } = match;
  const label = `${route.method} ${route.path}`;
  const success = route.responses[status];
  const codes = errorCodesByStatus(route.errors).get(status);
  if (!success && !codes) return `${label} answered ${status}, which its route entry does not document`;
  const schemas = [...(success?.body ? [success.body] : []), ...(codes ? [errorSchema(codes)] : [])];
  const headers = { ...(codes ? ERROR_STATUS_HEADERS[status] : {}), ...(success?.headers ?? {}) };
  return { label, schemas, noBody: success !== undefined && success.body === undefined, headers };
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 4)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Why an answer is not what the contract documents, or undefined when it is. */
export function undocumentedAnswer(method: string, path: string, status: number, headers: HeaderReader, text: string): string | undefined {
  const upper = method.toUpperCase();
  const expected = expectationFor(upper, path, status);
  if (typeof expected === 'string') return `${expected}: ${text.slice(0, 300)}`;
  for (const [name, header] of Object.entries(expected.headers)) {
    const value = headers.get(name);
    if (value === null) {
      if (header.required) return `${expected.label} answered ${status} without its ${name} header`;
      continue;
    }
    const checked = header.schema.safeParse(value);
    if (!checked.success)
      return (
        `${expected.label} answered ${status} with ${name}: ${JSON.stringify(value)}, not as ` +
        `documented (${describeIssues(checked.error)})`
      );
  }
  if (upper === 'HEAD' || expected.noBody) {
    return upper !== 'HEAD' && text !== '' ? `${expected.label} answered ${status} with a body where none is documented` : undefined;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${expected.label} answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const problems: string[] = [];
  for (const schema of expected.schemas) {
    const checked = schema.safeParse(body);
    if (checked.success) return undefined;
    problems.push(describeIssues(checked.error));
  }
  return (
    `${expected.label} answered ${status} with a body that does not match its documented schema ` +
    `(${problems.join(' | ')}): ${text.slice(0, 300)}`
  );
}

/** Throws when an answer is not documented; the e2e HTTP helpers call this for every answer. */
export function expectDocumentedAnswer(method: string, path: string, status: number, headers: HeaderReader, text: string): void {
  const problem = undocumentedAnswer(method, path, status, headers, text);
  if (problem) throw new Error(`Contract check (functions/routes.ts): ${problem}`);
}

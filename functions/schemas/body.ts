/**
 * A JSON body's first problem, as the API reports it (API.md §2, §3). The reasons quote zod's own
 * English messages, so zod's English locale is set here: zod/mini has none by default, and only
 * these functions read a zod message (parameters answer with their own, functions/schemas/parameters.ts).
 * Only functions whose route reads a body import this file.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { ApiError, type ErrorCode } from '#domain/errors';
import { containsNonFiniteNumber } from '#domain/json';

z.config(en());

/** Which error code a failing field gets: identifier rules have their own codes (API.md §2). */
const FIELD_CODES: Record<string, ErrorCode> = {
  source_step_index: 'INVALID_STEP_INDEX',
  step_index: 'INVALID_STEP_INDEX',
  variable_name: 'INVALID_VARIABLE_NAME',
};

interface FieldProblem {
  code: ErrorCode;
  field: string;
  message: string;
}

/**
 * The first problem of a zod failure, as the API reports it. A missing identifier is a malformed body
 * (INVALID_REQUEST); a present but broken one gets its own code.
 */
function firstProblem(error: z.core.$ZodError, input: unknown): FieldProblem {
  const issue = error.issues[0];
  const field = issue.path.map(String).join('.') || 'body';
  const top = String(issue.path[0] ?? '');
  const present = typeof input === 'object' && input !== null && top in input && (input as Record<string, unknown>)[top] !== undefined;
  const code = issue.path.length === 1 && present && FIELD_CODES[top] ? FIELD_CODES[top] : 'INVALID_REQUEST';
  const reason = issue.message.replace(/^Invalid (input|string): /, '');
  const offending = valueAt(input, issue.path);
  const shown = ['string', 'number', 'boolean'].includes(typeof offending) ? ` ${JSON.stringify(offending).slice(0, 120)}` : '';
  const message = field === 'body' ? `Request body ${reason}` : `Invalid field '${field}'${shown}: ${reason}`;
  return { code, field, message };
}

/** The value the client sent at a path, so the message can name the offending token. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * A number literal that overflows (`1e400`, which JSON.parse turns into Infinity) anywhere in a
 * body object is a malformed field (API.md §3), whatever field holds it.
 */
function nonFiniteProblem(input: unknown): FieldProblem | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  for (const [field, value] of Object.entries(input)) {
    if (containsNonFiniteNumber(value))
      return { code: 'INVALID_REQUEST', field, message: `Field '${field}' holds a number literal that overflows to infinity` };
  }
  return undefined;
}

/** A body (or a batch item) checked against its schema: its data, or the first problem as the API words it. */
export function checkBody<T>(schema: z.ZodMiniType<T>, input: unknown): { ok: true; data: T } | { ok: false; problem: FieldProblem } {
  const overflowing = nonFiniteProblem(input);
  if (overflowing) return { ok: false, problem: overflowing };
  const result = schema.safeParse(input);
  return result.success ? { ok: true, data: result.data } : { ok: false, problem: firstProblem(result.error, input) };
}

/** The answer to a body problem: its code and message, the field in details. */
export const problemError = (problem: FieldProblem): ApiError => new ApiError(problem.code, problem.message, { field: problem.field });

export const bodyRequired = (): ApiError => new ApiError('INVALID_REQUEST', 'A JSON request body is required', { field: 'body' });

export function parseBody<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  if (body === undefined) throw bodyRequired();
  const checked = checkBody(schema, body);
  if (!checked.ok) throw problemError(checked.problem);
  return checked.data;
}

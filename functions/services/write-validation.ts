import type { z } from 'zod';
import { ApiError, type ErrorCode } from '#domain/errors';
import { MAX_NESTING_DEPTH, MAX_VALUE_BYTES, nestingDepth, valueSizeBytes, type JsonObject, type JsonValue } from '#domain/json';
import type { VariableWrite } from '#domain/variable';
import { firstProblem, nonFiniteProblem } from '#schemas/common';
import { namedVariableBody, putVariableBody } from '#schemas/variables';

export interface WriteProblem {
  code: ErrorCode;
  message: string;
  field: string;
}

type Checked = { ok: true; write: VariableWrite } | { ok: false; problem: WriteProblem };

/** The value rules of API.md §3 that a schema cannot express: finite numbers, depth, size in UTF-8 bytes. */
function valueProblem(value: unknown, field: string, variableName: string): WriteProblem | undefined {
  if (nestingDepth(value) > MAX_NESTING_DEPTH)
    return {
      code: 'INVALID_REQUEST',
      field,
      message: `Field '${field}' of variable '${variableName}' is nested deeper than ${MAX_NESTING_DEPTH} levels`,
    };
  if (field === 'value') {
    const size = valueSizeBytes(value as JsonValue);
    if (size > MAX_VALUE_BYTES)
      return {
        code: 'VALUE_TOO_LARGE',
        field,
        message: `Field 'value' of variable '${variableName}' is ${size} bytes of JSON, over the ${MAX_VALUE_BYTES}-byte limit`,
      };
  }
  return undefined;
}

/** What a write body parses to; a PUT's has no variable_name (the path names the variable). */
type WriteBody = Omit<z.output<typeof namedVariableBody>, 'variable_name'> & { variable_name?: string };

function check(schema: z.ZodType<WriteBody>, input: unknown, name?: string): Checked {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problem: { code: 'INVALID_REQUEST', field: 'body', message: 'A variable must be a JSON object' } };
  }
  const overflowing = nonFiniteProblem(input);
  if (overflowing) return { ok: false, problem: overflowing };
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, problem: firstProblem(parsed.error, input) };
  const body = parsed.data;
  const variableName = name ?? body.variable_name!;
  const problem =
    valueProblem(body.value, 'value', variableName) ??
    (body.source_api_params ? valueProblem(body.source_api_params, 'source_api_params', variableName) : undefined);
  if (problem) return { ok: false, problem };
  return {
    ok: true,
    write: {
      variable_name: variableName,
      value: body.value as JsonValue,
      source_step_index: body.source_step_index,
      source_api_method: body.source_api_method ?? null,
      source_api_params: (body.source_api_params ?? null) as JsonObject | null,
      sensitive: body.sensitive ?? false,
    },
  };
}

export function checkPutBody(body: unknown, variableName: string): VariableWrite {
  if (body === undefined) throw new ApiError('INVALID_REQUEST', 'A JSON request body is required', { field: 'body' });
  const checked = check(putVariableBody, body, variableName);
  if (!checked.ok) throw new ApiError(checked.problem.code, checked.problem.message, { field: checked.problem.field });
  return checked.write;
}

export function checkNamedWrite(item: unknown): Checked {
  return check(namedVariableBody, item);
}

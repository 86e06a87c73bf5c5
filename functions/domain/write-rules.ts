import type { ErrorCode } from '#domain/errors';
import { MAX_NESTING_DEPTH, MAX_VALUE_BYTES, nestingDepth, valueSizeBytes, type JsonValue } from '#domain/json';
import type { VariableWrite } from '#domain/variable';

/** A broken field of one write, as the API reports it (the batch lists one per item). */
export interface WriteProblem {
  code: ErrorCode;
  message: string;
  field: string;
}

/** The value rules of API.md §3 that a schema cannot express: nesting depth and size in UTF-8 bytes. */
function valueProblem(value: JsonValue, field: 'value' | 'source_api_params', variableName: string): WriteProblem | undefined {
  if (nestingDepth(value) > MAX_NESTING_DEPTH)
    return {
      code: 'INVALID_REQUEST',
      field,
      message: `Field '${field}' of variable '${variableName}' is nested deeper than ${MAX_NESTING_DEPTH} levels`,
    };
  if (field === 'value') {
    const size = valueSizeBytes(value);
    if (size > MAX_VALUE_BYTES)
      return {
        code: 'VALUE_TOO_LARGE',
        field,
        message: `Field 'value' of variable '${variableName}' is ${size} bytes of JSON, over the ${MAX_VALUE_BYTES}-byte limit`,
      };
  }
  return undefined;
}

/** The first value rule a well-formed write breaks: the value's depth, then its size, then the params' depth. */
export function writeRuleProblem(write: VariableWrite): WriteProblem | undefined {
  return (
    valueProblem(write.value, 'value', write.variable_name) ??
    (write.source_api_params ? valueProblem(write.source_api_params, 'source_api_params', write.variable_name) : undefined)
  );
}

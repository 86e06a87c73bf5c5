import * as z from 'zod/mini';
import { ApiError } from '#domain/errors';
import { MAX_NESTING_DEPTH, nestingDepth } from '#domain/json';
import { dataType, integer, jsonValue, parseBody, stepIndex } from '#schemas/common';
import { component, described } from '#schemas/registry';

export const resolveBody = component(
  'ResolveRequest',
  z
    .object({
      step_index: stepIndex,
      params: described(z.optional(jsonValue), { description: 'Any JSON; exactly one of params and text' }),
      text: z.optional(z.string()),
      parameter_name: z.optional(z.string().check(z.maxLength(1000))),
      record: z._default(z.boolean(), true),
      strict: z._default(z.boolean(), false),
    })
    .check(
      z.refine((body) => (body.params !== undefined) !== (body.text !== undefined), {
        message: 'exactly one of params and text is required',
        path: ['params'],
      }),
    ),
);

/** The body of resolve: the schema, then the depth rule of API.md §3 for `params`. */
export function parseResolveBody(body: unknown): z.output<typeof resolveBody> {
  const parsed = parseBody(resolveBody, body);
  if (parsed.params !== undefined && nestingDepth(parsed.params) > MAX_NESTING_DEPTH) {
    throw new ApiError('INVALID_REQUEST', `Field 'params' is nested deeper than ${MAX_NESTING_DEPTH} levels`, { field: 'params' });
  }
  return parsed;
}

export const validateBody = component(
  'ValidateRequest',
  z.object({
    references: described(z.array(z.unknown()).check(z.maxLength(20)), {
      description: 'Up to 20 items, each a string holding exactly one ${…}',
    }),
    step_index: z.optional(stepIndex),
  }),
);

export function parseValidateBody(body: unknown): z.output<typeof validateBody> {
  if (body === undefined) throw new ApiError('INVALID_REQUEST', "A JSON body with 'references' is required", { field: 'references' });
  return parseBody(validateBody, body);
}

const referenceRecord = component(
  'ReferenceRecord',
  z.strictObject({
    step_index: integer(),
    variable_name: z.string(),
    reference_path: z.string(),
    parameter_name: z.string(),
    original_expression: z.string(),
    resolved_value: z.nullable(z.string()),
    resolved_value_truncated: described(z.optional(z.literal(true)), {
      description: 'resolved_value was cut to 1,021 code points + "..."',
    }),
    resolution_status: z.enum(['success', 'failed']),
    error_code: z.nullable(z.string()),
    error_message: z.nullable(z.string()),
    created_at: z.string(),
  }),
);

export const resolveResult = component(
  'ResolveResult',
  z.strictObject({
    execution_id: z.string(),
    step_index: integer(),
    params: described(z.optional(jsonValue), { description: 'The substituted params (params mode)' }),
    text: described(z.optional(z.string()), { description: 'The substituted text (text mode)' }),
    references: z.array(referenceRecord),
    resolved_count: integer(),
    unresolved_count: integer(),
  }),
);

export const referenceListing = component(
  'ReferenceList',
  z.strictObject({
    execution_id: z.string(),
    references: z.array(referenceRecord),
    count: integer(),
    next_cursor: z.nullable(z.string()),
  }),
);

const VALIDATION_CODES = [
  'INVALID_FORMAT',
  'INVALID_SYNTAX',
  'VARIABLE_NOT_FOUND',
  'VARIABLE_NOT_YET_DEFINED',
  'PROPERTY_NOT_FOUND',
  'INDEX_OUT_OF_RANGE',
  'TYPE_MISMATCH',
] as const;
const syntaxOnly = described(z.optional(z.literal('syntax_only')), {
  description: 'Present when the store was unreachable and only the grammar was checked (API.md §6)',
});

const validationResult = component(
  'ValidationResult',
  z.union([
    z.strictObject({
      reference: described(z.unknown(), { description: 'The item as sent' }),
      is_valid: z.literal(true),
      resolved_value: described(z.optional(jsonValue), { description: 'Absent in syntax_only mode' }),
      data_type: z.optional(dataType),
      mode: syntaxOnly,
    }),
    z.strictObject({
      reference: z.unknown(),
      is_valid: z.literal(false),
      error_code: z.enum(VALIDATION_CODES),
      error: z.string(),
      suggestion: z.string(),
      mode: syntaxOnly,
    }),
  ]),
);

export const validationResults = component('ValidationResults', z.strictObject({ validation_results: z.array(validationResult) }));

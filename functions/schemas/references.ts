import * as z from 'zod';
import { ApiError } from '#domain/errors';
import { MAX_NESTING_DEPTH, nestingDepth } from '#domain/json';
import { jsonValue, parseBody, stepIndex } from '#schemas/common';
import { component } from '#schemas/registry';
import { dataType } from '#schemas/variables';

export const resolveBody = component(
  'ResolveRequest',
  z
    .object({
      step_index: stepIndex,
      params: jsonValue.optional().meta({ description: 'Any JSON; exactly one of params and text' }),
      text: z.string().optional(),
      parameter_name: z.string().max(1000).optional(),
      record: z.boolean().default(true),
      strict: z.boolean().default(false),
    })
    .refine((body) => (body.params !== undefined) !== (body.text !== undefined), {
      message: 'exactly one of params and text is required',
      path: ['params'],
    }),
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
    references: z.array(z.unknown()).max(20).meta({ description: 'Up to 20 items, each a string holding exactly one ${…}' }),
    step_index: stepIndex.optional(),
  }),
);

export function parseValidateBody(body: unknown): z.output<typeof validateBody> {
  if (body === undefined) throw new ApiError('INVALID_REQUEST', "A JSON body with 'references' is required", { field: 'references' });
  return parseBody(validateBody, body);
}

const referenceRecord = component(
  'ReferenceRecord',
  z.strictObject({
    step_index: z.number().int(),
    variable_name: z.string(),
    reference_path: z.string(),
    parameter_name: z.string(),
    original_expression: z.string(),
    resolved_value: z.string().nullable(),
    resolved_value_truncated: z.literal(true).optional().meta({ description: 'resolved_value was cut to 1,021 code points + "..."' }),
    resolution_status: z.enum(['success', 'failed']),
    error_code: z.string().nullable(),
    error_message: z.string().nullable(),
    created_at: z.string(),
  }),
);

export const resolveResult = component(
  'ResolveResult',
  z.strictObject({
    execution_id: z.string(),
    step_index: z.number().int(),
    params: jsonValue.optional().meta({ description: 'The substituted params (params mode)' }),
    text: z.string().optional().meta({ description: 'The substituted text (text mode)' }),
    references: z.array(referenceRecord),
    resolved_count: z.number().int(),
    unresolved_count: z.number().int(),
  }),
);

export const referenceListing = component(
  'ReferenceList',
  z.strictObject({
    execution_id: z.string(),
    references: z.array(referenceRecord),
    count: z.number().int(),
    next_cursor: z.string().nullable(),
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
const syntaxOnly = z
  .literal('syntax_only')
  .optional()
  .meta({ description: 'Present when the store was unreachable and only the grammar was checked (API.md §6)' });

const validationResult = component(
  'ValidationResult',
  z.union([
    z.strictObject({
      reference: z.unknown().meta({ description: 'The item as sent' }),
      is_valid: z.literal(true),
      resolved_value: jsonValue.optional().meta({ description: 'Absent in syntax_only mode' }),
      data_type: dataType.optional(),
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

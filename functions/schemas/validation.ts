/** POST …/variables/validate: its body and its answer, one result per reference. */
import * as z from 'zod/mini';
import { ApiError } from '#domain/errors';
import { parseBody } from '#schemas/body';
import { dataType, jsonValue, stepIndex } from '#schemas/common';
import { component, described } from '#schemas/registry';

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

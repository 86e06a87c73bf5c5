import * as z from 'zod';
import { jsonValue, stepIndex } from '#schemas/common';

export const resolveBody = z
  .object({
    step_index: stepIndex,
    params: jsonValue.optional(),
    text: z.string().optional(),
    parameter_name: z.string().max(1000).optional(),
    record: z.boolean().default(true),
    strict: z.boolean().default(false),
  })
  .refine((body) => (body.params !== undefined) !== (body.text !== undefined), { message: 'exactly one of params and text is required', path: ['params'] })
  .meta({ id: 'ResolveBody' });

export const validateBody = z
  .object({
    references: z.array(z.unknown()).max(20),
    step_index: stepIndex.optional(),
  })
  .meta({ id: 'ValidateBody' });

export const referenceRecord = z.object({
  step_index: z.number().int(),
  variable_name: z.string(),
  reference_path: z.string(),
  parameter_name: z.string(),
  original_expression: z.string(),
  resolved_value: z.string().nullable(),
  resolution_status: z.enum(['success', 'failed']),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  created_at: z.string(),
}).meta({ id: 'ReferenceRecord' });

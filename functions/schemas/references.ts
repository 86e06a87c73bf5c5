/** Lineage: the record of one resolved reference, and a page of them. */
import * as z from 'zod/mini';
import { integer } from '#schemas/common';
import { component, described } from '#schemas/registry';

export const referenceRecord = component(
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

export const referenceListing = component(
  'ReferenceList',
  z.strictObject({
    execution_id: z.string(),
    references: z.array(referenceRecord),
    count: integer(),
    next_cursor: z.nullable(z.string()),
  }),
);

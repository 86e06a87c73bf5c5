import * as z from 'zod';
import { component } from '#schemas/registry';
import { dataType } from '#schemas/variables';

export const executionSummary = component(
  'ExecutionSummary',
  z.strictObject({
    execution_id: z.string(),
    variables_count: z.number().int(),
    references_count: z.number().int(),
    failed_references_count: z.number().int(),
    variables: z.array(
      z.strictObject({
        name: z.string(),
        data_type: dataType,
        source_step_index: z.number().int(),
        last_updated: z.string(),
        usage_count: z.number().int(),
      }),
    ),
    recent_references: z.array(
      z.strictObject({
        step_index: z.number().int(),
        reference: z.string(),
        status: z.enum(['success', 'failed']),
        created_at: z.string(),
      }),
    ),
  }),
);

/** 202 of DELETE: a large execution is still being purged in the background (API.md §5). */
export const executionDeleting = component(
  'ExecutionDeleting',
  z.strictObject({
    execution_id: z.string(),
    status: z.literal('deleting'),
  }),
);

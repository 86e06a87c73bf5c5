import * as z from 'zod/mini';
import { dataType, integer } from '#schemas/common';
import { component } from '#schemas/registry';

export const executionSummary = component(
  'ExecutionSummary',
  z.strictObject({
    execution_id: z.string(),
    variables_count: integer(),
    references_count: integer(),
    failed_references_count: integer(),
    variables: z.array(
      z.strictObject({
        name: z.string(),
        data_type: dataType,
        source_step_index: integer(),
        last_updated: z.string(),
        usage_count: integer(),
      }),
    ),
    recent_references: z.array(
      z.strictObject({
        step_index: integer(),
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

/** POST …/resolve: its body, parsed with the depth rule of API.md §3, and its answer. */
import * as z from 'zod/mini';
import { ApiError } from '#domain/errors';
import { MAX_NESTING_DEPTH, nestingDepth } from '#domain/json';
import { parseBody } from '#schemas/body';
import { integer, jsonValue, stepIndex } from '#schemas/common';
import { referenceRecord } from '#schemas/references';
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

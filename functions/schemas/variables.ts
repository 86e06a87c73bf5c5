import * as z from 'zod';
import { jsonValue, stepIndex, variableName } from '#schemas/common';
import { isJsonObject } from '#domain/json';

const writeFields = {
  value: jsonValue,
  source_step_index: stepIndex,
  source_api_method: z.string().max(100).nullable().optional(),
  // z.custom, not z.record: a record schema rebuilds the object, losing key order and `__proto__` keys.
  source_api_params: z.custom<Record<string, unknown>>(isJsonObject, { message: 'must be a JSON object' }).nullable().optional().meta({ description: 'Params of the step that produced the value (a JSON object)' }),
  sensitive: z.boolean().optional(),
};

export const putVariableBody = z.object(writeFields).meta({ id: 'PutVariableBody' });
export const namedVariableBody = z.object({ variable_name: variableName, ...writeFields }).meta({ id: 'NamedVariableBody' });
export const batchVariablesBody = z.object({ variables: z.array(z.unknown()).min(1).max(100) }).meta({ id: 'BatchVariablesBody' });

export type PutVariableBody = z.infer<typeof putVariableBody>;
export type NamedVariableBody = z.infer<typeof namedVariableBody>;

const dataType = z.enum(['string', 'number', 'boolean', 'object', 'array', 'null']);

export const variableMetadata = z.object({
  execution_id: z.string(),
  variable_name: z.string(),
  data_type: dataType,
  source_step_index: z.number().int(),
  source_api_method: z.string().nullable(),
  version: z.number().int(),
  size_bytes: z.number().int(),
  sensitive: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
}).meta({ id: 'VariableMetadata' });

export const variableWithValue = variableMetadata.extend({ value: z.unknown(), source_api_params: z.record(z.string(), z.unknown()).nullable() }).meta({ id: 'Variable' });

export const variableListing = z.object({
  execution_id: z.string(),
  variables: z.array(variableMetadata.extend({ preview_value: z.string(), value: z.unknown().optional() })),
  count: z.number().int(),
  next_cursor: z.string().nullable(),
}).meta({ id: 'VariableList' });

export const listVariablesQuery = z.object({
  limit: z.string().optional().meta({ description: 'Positive integer, default 100, max 1000' }),
  cursor: z.string().optional(),
  include_values: z.string().optional().meta({ description: '"true" in any letter case means true' }),
});

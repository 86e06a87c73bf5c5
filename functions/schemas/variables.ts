/** The answers about variables: metadata, a variable with its value, a page of them, a batch's result. */
import * as z from 'zod/mini';
import { dataType, integer, jsonValue } from '#schemas/common';
import { component, described } from '#schemas/registry';
import type { VariableMetadata } from '#domain/variable';

const timestamp = described(z.string(), { description: 'ISO-8601 UTC with milliseconds' });

const metadataFields = {
  execution_id: z.string(),
  variable_name: z.string(),
  data_type: dataType,
  source_step_index: integer(),
  source_api_method: z.nullable(z.string()),
  version: integer().check(z.gte(1)),
  size_bytes: integer().check(z.gte(0)),
  sensitive: z.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
};

export const variableMetadata = component('VariableMetadata', z.strictObject(metadataFields));

// The schema and the domain's VariableMetadata name the same fields with the same types (tsc fails here otherwise).
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const metadataMatchesDomain: SameShape<z.output<typeof variableMetadata>, VariableMetadata> = true;
void metadataMatchesDomain;

export const variableWithValue = component(
  'Variable',
  z.strictObject({
    ...metadataFields,
    value: jsonValue,
    source_api_params: z.nullable(z.record(z.string(), z.unknown())),
  }),
);

const listedVariable = component(
  'ListedVariable',
  z.strictObject({
    ...metadataFields,
    preview_value: z.string(),
    value: described(z.optional(jsonValue), { description: 'Only with include_values=true' }),
  }),
);

export const variableListing = component(
  'VariableList',
  z.strictObject({
    execution_id: z.string(),
    variables: z.array(listedVariable),
    count: integer(),
    next_cursor: z.nullable(z.string()),
  }),
);

export const variableBatchResult = component(
  'VariableBatchResult',
  z.strictObject({
    results: z.array(variableMetadata),
    count: integer(),
  }),
);

import * as z from 'zod/mini';
import { integer, jsonValue, stepIndex, variableName } from '#schemas/common';
import { component, described } from '#schemas/registry';
import { isJsonObject, type JsonObject } from '#domain/json';
import type { VariableMetadata } from '#domain/variable';

const writeFields = {
  value: jsonValue,
  source_step_index: stepIndex,
  source_api_method: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  // z.custom, not z.record: a record schema rebuilds the object, losing key order and `__proto__` keys.
  source_api_params: described(
    z.optional(z.nullable(described(z.custom<JsonObject>(isJsonObject, { message: 'must be a JSON object' }), { type: 'object' }))),
    { description: 'Params of the step that produced the value (a JSON object)' },
  ),
  sensitive: described(z.optional(z.boolean()), { description: 'Mask the value everywhere but GET …/variables/{name} and resolve' }),
};

export const putVariableBody = component('PutVariableRequest', z.object(writeFields));
export const namedVariableBody = component('NamedVariableRequest', z.object({ variable_name: variableName, ...writeFields }));
/** How many variables one batch POST may store (API.md §5). */
export const MAX_BATCH_VARIABLES = 100;

/** Items are checked one by one (each problem is reported with its index), so the array itself takes anything. */
const batchVariablesBody = component(
  'VariableBatchRequest',
  z.object({
    variables: described(z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BATCH_VARIABLES)), {
      items: { $ref: '#/components/schemas/NamedVariableRequest' },
      description: '1 to 100 variables, each as NamedVariableRequest',
    }),
  }),
);
export const storeVariablesBody = z.union([namedVariableBody, batchVariablesBody]);

export const dataType = component('DataType', z.enum(['string', 'number', 'boolean', 'object', 'array', 'null']));

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

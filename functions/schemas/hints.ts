/** Answers of the step editor's smart hints (API.md §5 "Smart hints"). */
import * as z from 'zod/mini';
import { component, described } from '#schemas/registry';
import { dataType, integer, jsonValue } from '#schemas/common';

interface PropertyHintShape {
  name: string;
  type: z.infer<typeof dataType>;
  value?: unknown;
  value_truncated?: true;
  preview_value?: string;
  path: string;
  properties?: PropertyHintShape[];
  properties_truncated?: true;
}

const propertyHint: z.ZodMiniType<PropertyHintShape, PropertyHintShape> = component(
  'PropertyHint',
  z.strictObject({
    name: z.string(),
    type: dataType,
    value: described(z.optional(jsonValue), { description: 'Absent when value_truncated; "******" for a sensitive variable' }),
    value_truncated: described(z.optional(z.literal(true)), {
      description: "The value's compact JSON is over 1 KiB: preview_value stands in for it",
    }),
    preview_value: z.optional(z.string()),
    path: described(z.string(), { description: 'Reference path of this property, e.g. product_info.specs.color' }),
    get properties(): z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniType<PropertyHintShape, PropertyHintShape>>> {
      return z.optional(z.array(propertyHint));
    },
    properties_truncated: described(z.optional(z.literal(true)), { description: 'Only the first 100 keys are listed' }),
  }),
);

const suggestionFields = {
  name: z.string(),
  data_type: dataType,
  source_step_index: integer(),
  source_api_method: z.nullable(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  preview_value: z.string(),
  properties: described(z.optional(z.array(propertyHint)), { description: 'Objects: top-level keys; arrays: []; other types: absent' }),
  properties_truncated: described(z.optional(z.literal(true)), {
    description: 'Only the first 100 properties are listed, or they were dropped to keep the answer within 5 MiB',
  }),
};

const suggestionItem = component('SuggestionItem', z.strictObject(suggestionFields));

const suggestionsFields = {
  execution_id: z.string(),
  current_step_index: z.nullable(integer()),
  total_count: integer(),
  mode: described(z.enum(['full', 'basic']), { description: '"basic" when degraded: no properties (API.md §6)' }),
};

export const suggestions = component('Suggestions', z.strictObject({ ...suggestionsFields, variables: z.array(suggestionItem) }));

/** The original step editor reads `preview` (API.md §5 "Compatibility with the original step editor"). */
const compatSuggestionItem = component(
  'CompatSuggestionItem',
  z.strictObject({
    ...suggestionFields,
    preview: described(z.string(), { description: 'The same text as preview_value' }),
  }),
);

export const compatSuggestions = component(
  'CompatSuggestions',
  z.strictObject({ ...suggestionsFields, variables: z.array(compatSuggestionItem) }),
);

export const searchResult = component(
  'SearchResult',
  z.strictObject({
    query: z.string(),
    matches: z.array(
      z.strictObject({
        name: z.string(),
        match_score: z.number(),
        highlighted_name: described(z.string(), { description: 'The name with each occurrence of q wrapped in <mark>…</mark>' }),
        data_type: dataType,
        source_step_index: integer(),
        preview_value: z.string(),
      }),
    ),
    count: integer(),
  }),
);

export const variableProperties = component(
  'VariableProperties',
  z.strictObject({
    variable_name: described(z.string(), { description: 'The variable name or reference path, as sent' }),
    data_type: dataType,
    properties: z.array(propertyHint),
    properties_truncated: described(z.optional(z.literal(true)), { description: 'Only the first 100 keys are listed' }),
  }),
);

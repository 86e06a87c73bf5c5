/** The suggestions answers of the step editor's smart hints (API.md §5 "Smart hints"), standard and compatible. */
import * as z from 'zod/mini';
import { dataType, integer } from '#schemas/common';
import { propertyHint } from '#schemas/hints';
import { component, described } from '#schemas/registry';

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

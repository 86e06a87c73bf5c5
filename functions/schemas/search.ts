/** The search answer of the step editor's smart hints (API.md §5 "Smart hints"). */
import * as z from 'zod/mini';
import { dataType, integer } from '#schemas/common';
import { component, described } from '#schemas/registry';

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

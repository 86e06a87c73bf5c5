/**
 * The suggestions answer (API.md §5 "Smart hints") in the two forms it is served in: /v1's, and the
 * original step editor's, whose items also carry `preview` (= preview_value), the field that editor
 * reads (§5 "Compatibility with the original step editor"). Rendered as JSON text within the 5 MiB
 * limit (§8), pausing between items.
 */
import type { Steps } from '#domain/cooperative';
import type { DataType, JsonText } from '#domain/json';
import { RESPONSE_LIMIT_BYTES, responseTooLarge } from '#domain/output-budget';
import type { PropertyHint } from '#domain/hints/properties';

export interface SuggestionItem {
  name: string;
  data_type: DataType;
  source_step_index: number;
  source_api_method: string | null;
  created_at: string;
  updated_at: string;
  preview_value: string;
  properties?: PropertyHint[];
  /** The object has more keys than its list shows, or its list was dropped to fit the 5 MiB answer. */
  properties_truncated?: true;
}

/** The original step editor's item: `preview` is the field it reads. */
type EditorSuggestionItem = SuggestionItem & { preview: string };

type SuggestionsMode = 'full' | 'basic';

interface SuggestionsOf<Item> {
  execution_id: string;
  current_step_index: number | null;
  variables: Item[];
  total_count: number;
  /** "basic" when degraded (API.md §6): no properties. */
  mode: SuggestionsMode;
}

export interface SuggestionsForms {
  standard: SuggestionsOf<SuggestionItem>;
  editor: SuggestionsOf<EditorSuggestionItem>;
}
export type SuggestionsForm = keyof SuggestionsForms;

/** The item with `preview` as its last field. */
function withEditorPreview(item: SuggestionItem): EditorSuggestionItem {
  return { ...item, preview: item.preview_value };
}

/** `,"properties":[],"properties_truncated":true` replacing a dropped list. */
const DROPPED_LIST = { properties: [] as PropertyHint[], properties_truncated: true as const };

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * The answer as JSON text in `form`, at most `limitBytes` (each item measured in its form, so the
 * editor's `preview` counts like any other field). The same answer as rendering every item whole
 * and, while the total is over, dropping the properties of the last item that still lists them
 * (marked `properties_truncated`) — but built forward, so memory stays within the limit however
 * many properties the items carry:
 *   1. every item bare (an item with properties as it is when they are dropped): 413
 *      RESPONSE_TOO_LARGE as soon as even these pass the limit;
 *   2. from the first item on, each one's properties back while the answer still fits; the first
 *      that does not fit, and every later one, stays without.
 * Pauses between items.
 */
export function* renderSuggestionsSteps<Form extends SuggestionsForm>(
  form: Form,
  answer: { executionId: string; stepIndex: number | undefined; mode: SuggestionsMode },
  variables: SuggestionItem[],
  limitBytes = RESPONSE_LIMIT_BYTES,
): Steps<JsonText<SuggestionsForms[Form]>> {
  const render = (item: SuggestionItem): string => JSON.stringify(form === 'editor' ? withEditorPreview(item) : item);
  const listsProperties = (item: SuggestionItem): boolean => (item.properties?.length ?? 0) > 0;
  // The answer's fields in the contract's order; the items go between `[` and `]`.
  const head =
    `{"execution_id":${JSON.stringify(answer.executionId)},` +
    `"current_step_index":${JSON.stringify(answer.stepIndex ?? null)},"variables":[`;
  const tail = `],"total_count":${variables.length},"mode":${JSON.stringify(answer.mode)}}`;
  const texts: string[] = [];
  let total = utf8Bytes(head) + utf8Bytes(tail) + Math.max(0, variables.length - 1);
  for (const item of variables) {
    const text = render(listsProperties(item) ? { ...item, ...DROPPED_LIST } : item);
    texts.push(text);
    total += utf8Bytes(text);
    if (total > limitBytes) throw responseTooLarge(limitBytes);
    yield;
  }
  if (total > limitBytes) throw responseTooLarge(limitBytes);
  for (let index = 0; index < variables.length; index++) {
    const item = variables[index];
    if (!listsProperties(item)) continue;
    const whole = render(item);
    const grown = total + utf8Bytes(whole) - utf8Bytes(texts[index]);
    if (grown > limitBytes) break;
    texts[index] = whole;
    total = grown;
    yield;
  }
  // SuggestionsForms[Form]'s fields, each item rendered from its typed form above.
  return (head + texts.join(',') + tail) as JsonText<SuggestionsForms[Form]>;
}

/**
 * The original step editor's suggestions (API.md §5 "Compatibility with the original step editor"):
 * the same answer, every item also carrying `preview` (= preview_value), the field that editor reads.
 * Those extra bytes must not push the answer past the 5 MiB limit (§8): as §5 says for suggestions,
 * properties are then dropped from the last items first, each such item marked `properties_truncated`.
 */

import { RESPONSE_LIMIT_BYTES } from '#domain/output-budget';

interface SuggestionsAnswer {
  variables: Array<{ preview_value: string; preview?: string; properties?: unknown[]; properties_truncated?: true }>;
}

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** `body` is the suggestions answer as JSON text; returns the editor's answer as JSON text. */
export function withEditorPreview(body: string, limitBytes = RESPONSE_LIMIT_BYTES): string {
  const answer = JSON.parse(body) as SuggestionsAnswer;
  let bytes = utf8Bytes(body);
  for (const item of answer.variables) {
    item.preview = item.preview_value;
    bytes += utf8Bytes(`,"preview":${JSON.stringify(item.preview)}`);
  }
  for (let index = answer.variables.length - 1; bytes > limitBytes && index >= 0; index -= 1) {
    const item = answer.variables[index];
    if (!item.properties || item.properties.length === 0) continue;
    bytes -= utf8Bytes(JSON.stringify(item.properties)) - '[]'.length;
    if (!item.properties_truncated) bytes += ',"properties_truncated":true'.length;
    item.properties = [];
    item.properties_truncated = true;
  }
  return JSON.stringify(answer);
}

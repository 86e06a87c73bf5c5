/** `preview_value` (API.md §5, the paragraph after "Smart hints"): a short, type-aware teaser of a value. */
import { codePoints, type JsonValue } from '#domain/json';
import { SENSITIVE_MASK } from '#domain/variable';

/** Strings longer than this many code points are cut. */
export const PREVIEW_MAX_STRING_CODE_POINTS = 100;
/** Code points kept from a cut string, so that with the `...` marker the text stays at 100. */
export const PREVIEW_KEPT_CODE_POINTS = 97;
/** How many object keys a preview names before it ends with `, ...`. */
export const PREVIEW_MAX_KEYS = 3;

export function previewValue(value: JsonValue, sensitive: boolean): string {
  if (sensitive) return SENSITIVE_MASK;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return previewString(value);
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (Array.isArray(value)) return `[${value.length} items]`;
  return previewObject(Object.keys(value));
}

/** The string goes between quotes as it is (no JSON escaping): the contract says `"` + s + `"`. */
function previewString(text: string): string {
  // Cheap exit: a string of at most 100 UTF-16 units has at most 100 code points.
  if (text.length <= PREVIEW_MAX_STRING_CODE_POINTS) return `"${text}"`;
  const points = codePoints(text);
  if (points.length <= PREVIEW_MAX_STRING_CODE_POINTS) return `"${text}"`;
  return `"${points.slice(0, PREVIEW_KEPT_CODE_POINTS).join('')}..."`;
}

/** Own enumerable keys only (Object.keys), so a `__proto__` key is named like any other. */
function previewObject(keys: string[]): string {
  if (keys.length === 0) return '{}';
  const named = keys.slice(0, PREVIEW_MAX_KEYS).map((key) => `${JSON.stringify(key)}: ...`);
  if (keys.length > PREVIEW_MAX_KEYS) named.push('...');
  return `{${named.join(', ')}}`;
}

/**
 * The lineage cap of API.md §4: a record's `resolved_value` is the §4 text rendering, cut to its
 * first 1,021 code points + `...` when longer than 1,024 code points (and then
 * `resolved_value_truncated: true`). Computed without rendering the whole value: a record of a
 * whole-field reference to a 1 MiB object costs about 1 KiB of work, not a 1 MiB JSON text.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '#domain/json';

export const RESOLVED_VALUE_MAX_CODE_POINTS = 1024;
export const RESOLVED_VALUE_KEPT_CODE_POINTS = 1021;
export const TRUNCATION_MARK = '...';

export interface CappedText {
  text: string;
  truncated: boolean;
}

/**
 * UTF-16 units of rendering that surely hold more than the cap's code points (a code point is at
 * most 2 units), plus slack so a string cut mid-pair is escaped only past what is kept.
 */
const ENOUGH_UNITS = 2 * (RESOLVED_VALUE_MAX_CODE_POINTS + 1) + 4;

/** Cuts an already rendered text to the cap. */
export function capText(text: string): CappedText {
  // A text of at most 1,024 UTF-16 units has at most 1,024 code points.
  if (text.length <= RESOLVED_VALUE_MAX_CODE_POINTS) return { text, truncated: false };
  let points = 0;
  let cutAt = -1; // unit offset after the 1,021st code point
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    points++;
    if (points === RESOLVED_VALUE_KEPT_CODE_POINTS) cutAt = i + 1;
    if (points > RESOLVED_VALUE_MAX_CODE_POINTS) return { text: text.slice(0, cutAt) + TRUNCATION_MARK, truncated: true };
  }
  return { text, truncated: false };
}

/** The capped §4 text rendering of a value (string as-is, String(n), compact JSON for containers). */
export function cappedRendering(value: JsonValue): CappedText {
  if (typeof value === 'string') return capText(value);
  if (value === null || typeof value !== 'object') return { text: String(value), truncated: false };
  return capText(compactJsonPrefix(value, ENOUGH_UNITS));
}

/**
 * The compact JSON of `value` (exactly JSON.stringify's), or a prefix of it at least `units` long.
 * Long strings are cut before they are escaped, so the work is O(units), whatever the value's size.
 */
export function compactJsonPrefix(value: JsonValue, units: number): string {
  const pieces: string[] = [];
  let length = 0;
  const emit = (piece: string): boolean => {
    pieces.push(piece);
    length += piece.length;
    return length < units;
  };
  // Escaping never shortens, so the first `units` units of a string or key suffice.
  const quoted = (text: string): string => JSON.stringify(text.length > units ? text.slice(0, units) : text);
  const scalar = (node: JsonValue): string => (typeof node === 'string' ? quoted(node) : JSON.stringify(node));
  // Open containers, each with its next position: arrays are never copied onto the stack.
  type Frame = { array: JsonValue[]; next: number } | { object: JsonObject; keys: string[]; next: number };
  const stack: Frame[] = [];
  const open = (node: JsonValue): boolean => {
    if (Array.isArray(node)) {
      stack.push({ array: node, next: 0 });
      return emit('[');
    }
    if (isJsonObject(node)) {
      stack.push({ object: node, keys: Object.keys(node), next: 0 });
      return emit('{');
    }
    return emit(scalar(node));
  };
  if (!open(value)) return pieces.join('');
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const index = frame.next++;
    let child: JsonValue;
    if ('array' in frame) {
      if (index >= frame.array.length) {
        stack.pop();
        if (!emit(']')) break;
        continue;
      }
      if (index > 0 && !emit(',')) break;
      child = frame.array[index];
    } else {
      if (index >= frame.keys.length) {
        stack.pop();
        if (!emit('}')) break;
        continue;
      }
      if (!emit(`${index > 0 ? ',' : ''}${quoted(frame.keys[index])}:`)) break;
      child = frame.object[frame.keys[index]];
    }
    if (!open(child)) break;
  }
  return pieces.join('');
}

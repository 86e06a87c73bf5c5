/**
 * Property hints (API.md §5 "Smart hints"): the keys of an object value, for the suggestion list
 * (top level only) and for GET /variables/{name}/properties (nested up to max_depth).
 */
import { compactJson, dataTypeOf, isJsonObject, utf8ByteLength, type DataType, type JsonObject, type JsonValue } from '#domain/json';
import { previewValue } from '#domain/hints/preview';
import { evaluatePath, type Evaluation } from '#domain/references/evaluate';
import type { PathSegment } from '#domain/references/grammar';

export interface PropertyHint {
  name: string;
  type: DataType;
  value?: JsonValue;
  value_truncated?: true;
  preview_value?: string;
  path: string;
  properties?: PropertyHint[];
}

/** A property value whose compact JSON is above this many UTF-8 bytes is replaced by its preview. */
export const PROPERTY_VALUE_MAX_BYTES = 1024;
/** What a sensitive variable's property values become; the keys stay visible (API.md §3). */
export const MASKED_PROPERTY_VALUE = '******';
export const MIN_PROPERTIES_DEPTH = 1;
export const MAX_PROPERTIES_DEPTH = 5;
export const DEFAULT_PROPERTIES_DEPTH = 3;

/** Objects list their top-level keys, arrays give [], every other type has no `properties` at all. */
export function suggestionProperties(variableName: string, value: JsonValue, sensitive: boolean): PropertyHint[] | undefined {
  if (Array.isArray(value)) return [];
  if (!isJsonObject(value)) return undefined;
  return describeKeys(variableName, value, sensitive, 1, 1);
}

/**
 * Properties with objects expanded while depth < maxDepth (top level is depth 1). Arrays are not
 * expanded; non-objects give []. `maxDepth` is expected already clamped (see clampMaxDepth).
 */
export function expandProperties(variableName: string, value: JsonValue, sensitive: boolean, maxDepth: number): PropertyHint[] {
  if (!isJsonObject(value)) return [];
  return describeKeys(variableName, value, sensitive, 1, maxDepth);
}

/** The route has already rejected non-integers (400); anything outside 1..5 is pulled in. */
export function clampMaxDepth(raw: number): number {
  return Math.min(MAX_PROPERTIES_DEPTH, Math.max(MIN_PROPERTIES_DEPTH, Math.trunc(raw)));
}

/**
 * Recursion depth is bounded by maxDepth (≤ 5), not by the value's nesting, so a hostile 64-deep
 * value cannot make this walk deep.
 */
function describeKeys(parentPath: string, object: JsonObject, sensitive: boolean, depth: number, maxDepth: number): PropertyHint[] {
  // Object.keys gives own keys only: `__proto__` and `constructor` are data here, never prototype links.
  return Object.keys(object).map((key) => {
    const child = object[key];
    const path = `${parentPath}.${key}`;
    // Built field by field so the JSON reads in the contract's order: name, type, value, path.
    const hint: PropertyHint = { name: key, type: dataTypeOf(child), ...shownValue(child, sensitive), path };
    if (depth < maxDepth && isJsonObject(child)) {
      const nested = describeKeys(path, child, sensitive, depth + 1, maxDepth);
      if (nested.length > 0) hint.properties = nested;
    }
    return hint;
  });
}

function shownValue(child: JsonValue, sensitive: boolean): Pick<PropertyHint, 'value' | 'value_truncated' | 'preview_value'> {
  if (sensitive) return { value: MASKED_PROPERTY_VALUE };
  if (utf8ByteLength(compactJson(child)) > PROPERTY_VALUE_MAX_BYTES) {
    return { value_truncated: true, preview_value: previewValue(child, false) };
  }
  return { value: child };
}

/**
 * The value a reference path reaches inside one variable (GET …/variables/{path}/properties): the
 * path is walked by the reference evaluation of §4, so `items.0`, `items[-1]` and own-keys-only
 * read exactly as they do in `${…}`.
 */
export function valueAtPath(root: string, segments: PathSegment[], value: JsonValue, sensitive: boolean): Evaluation {
  return evaluatePath({ ok: true, root, segments }, (name) => (name === root ? { value, sensitive, source_step_index: 0 } : undefined));
}

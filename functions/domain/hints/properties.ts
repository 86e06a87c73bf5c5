/**
 * Property hints (API.md §5 "Smart hints"): the keys of an object value, for the suggestion list
 * (top level only) and for GET /variables/{name}/properties (nested up to max_depth).
 */
import { runToEnd, type Steps } from '#domain/cooperative';
import { dataTypeOf, isJsonObject, type DataType, type JsonObject, type JsonValue } from '#domain/json';
import { jsonBytesUpTo, type OutputBudget } from '#domain/output-budget';
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
  /** The object has more keys than a list shows (MAX_LISTED_PROPERTIES). */
  properties_truncated?: true;
}

/** A list of properties, and whether the object had more keys than it shows. */
export interface PropertyListing {
  properties: PropertyHint[];
  truncated: boolean;
}

/** A property value whose compact JSON is above this many UTF-8 bytes is replaced by its preview. */
export const PROPERTY_VALUE_MAX_BYTES = 1024;
/** A list shows at most this many keys of an object (API.md §5), then `properties_truncated: true`. */
export const MAX_LISTED_PROPERTIES = 100;
/** What a sensitive variable's property values become; the keys stay visible (API.md §3). */
export const MASKED_PROPERTY_VALUE = '******';
export const MIN_PROPERTIES_DEPTH = 1;
export const MAX_PROPERTIES_DEPTH = 5;
export const DEFAULT_PROPERTIES_DEPTH = 3;

/** Objects list their first 100 top-level keys, arrays give [], every other type has no `properties` at all. */
export function suggestionListing(variableName: string, value: JsonValue, sensitive: boolean): PropertyListing | undefined {
  if (Array.isArray(value)) return { properties: [], truncated: false };
  if (!isJsonObject(value)) return undefined;
  return runToEnd(describeKeys(variableName, value, sensitive, 1, 1, undefined));
}

export function suggestionProperties(variableName: string, value: JsonValue, sensitive: boolean): PropertyHint[] | undefined {
  return suggestionListing(variableName, value, sensitive)?.properties;
}

/**
 * Properties with objects expanded while depth < maxDepth (top level is depth 1). Arrays are not
 * expanded; non-objects give []. `maxDepth` is expected already clamped (see clampMaxDepth).
 * Each list shows at most 100 keys. With a budget, the listing's JSON bytes are counted as it is
 * built and RESPONSE_TOO_LARGE is thrown as soon as they pass it; it pauses after every entry.
 */
export function* expandPropertiesSteps(
  variableName: string,
  value: JsonValue,
  sensitive: boolean,
  maxDepth: number,
  budget?: OutputBudget,
): Steps<PropertyListing> {
  if (!isJsonObject(value)) return { properties: [], truncated: false };
  budget?.spend(2); // the list's brackets
  return yield* describeKeys(variableName, value, sensitive, 1, maxDepth, budget);
}

export function expandProperties(variableName: string, value: JsonValue, sensitive: boolean, maxDepth: number): PropertyHint[] {
  return runToEnd(expandPropertiesSteps(variableName, value, sensitive, maxDepth)).properties;
}

/** The route has already rejected non-integers (400); anything outside 1..5 is pulled in. */
export function clampMaxDepth(raw: number): number {
  return Math.min(MAX_PROPERTIES_DEPTH, Math.max(MIN_PROPERTIES_DEPTH, Math.trunc(raw)));
}

/** `,"properties":[` + `]` around a nested list. */
const NESTED_LIST_BYTES = 16;
/** `,"properties_truncated":true`. */
const TRUNCATED_FLAG_BYTES = 28;

/**
 * Recursion depth is bounded by maxDepth (≤ 5), not by the value's nesting, so a hostile 64-deep
 * value cannot make this walk deep. The budget counts exactly the JSON of what is returned.
 */
function* describeKeys(
  parentPath: string,
  object: JsonObject,
  sensitive: boolean,
  depth: number,
  maxDepth: number,
  budget: OutputBudget | undefined,
): Steps<PropertyListing> {
  // Object.keys gives own keys only: `__proto__` and `constructor` are data here, never prototype links.
  const keys = Object.keys(object);
  const shown = keys.length > MAX_LISTED_PROPERTIES ? keys.slice(0, MAX_LISTED_PROPERTIES) : keys;
  const properties: PropertyHint[] = [];
  for (const key of shown) {
    const child = object[key];
    const path = `${parentPath}.${key}`;
    // Built field by field so the JSON reads in the contract's order: name, type, value, path.
    const hint: PropertyHint = { name: key, type: dataTypeOf(child), ...shownValue(child, sensitive), path };
    if (budget) {
      budget.spend(jsonBytesUpTo(hint as unknown as JsonValue, budget.remaining + 1) + (properties.length > 0 ? 1 : 0));
      budget.check();
    }
    if (depth < maxDepth && isJsonObject(child)) {
      const nested = yield* describeKeys(path, child, sensitive, depth + 1, maxDepth, budget);
      if (nested.properties.length > 0) {
        hint.properties = nested.properties;
        budget?.spend(NESTED_LIST_BYTES);
      }
      if (nested.truncated) {
        hint.properties_truncated = true;
        budget?.spend(TRUNCATED_FLAG_BYTES);
      }
      budget?.check();
    }
    properties.push(hint);
    yield;
  }
  return { properties, truncated: shown.length < keys.length };
}

function shownValue(child: JsonValue, sensitive: boolean): Pick<PropertyHint, 'value' | 'value_truncated' | 'preview_value'> {
  if (sensitive) return { value: MASKED_PROPERTY_VALUE };
  // Counting stops just past the limit: a 1 MiB child is not rendered to learn it is too large.
  if (jsonBytesUpTo(child, PROPERTY_VALUE_MAX_BYTES) > PROPERTY_VALUE_MAX_BYTES) {
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

/**
 * Per-item logic of `POST /variables/validate` (API.md §5 "Smart hints"), as pausable steps
 * (domain/cooperative.ts): ranking the keys of a 100,000-key object for a suggestion is the one
 * long loop here. An optional output budget (§8) counts each item's JSON as it is made.
 */
import { runToEnd, type Steps } from '#domain/cooperative';
import { dataTypeOf, deepCopy, type DataType, type JsonValue } from '#domain/json';
import { jsonBytesUpTo, type OutputBudget } from '#domain/output-budget';
import type { Language } from '#domain/language';
import { isSingleReference, parseReferencePath } from '#domain/references/grammar';
import { MASKED_VALUE, evaluatePath, syntaxFailure, type ReferenceFailure, type VariableLookup } from '#domain/references/evaluate';
import {
  arraySuggestion,
  formatSuggestion,
  keysSuggestion,
  localizedFailureMessage,
  notAStringError,
  notSingleReferenceError,
  notYetDefinedError,
  notYetDefinedSuggestion,
  scalarSuggestion,
  syntaxSuggestion,
  visibleNamesSuggestion,
} from '#domain/references/messages';

export type ValidationErrorCode =
  | 'INVALID_FORMAT'
  | 'INVALID_SYNTAX'
  | 'VARIABLE_NOT_FOUND'
  | 'VARIABLE_NOT_YET_DEFINED'
  | 'PROPERTY_NOT_FOUND'
  | 'INDEX_OUT_OF_RANGE'
  | 'TYPE_MISMATCH';

export type InvalidItem = { reference: unknown; is_valid: false; error_code: ValidationErrorCode; error: string; suggestion: string };

export type ValidationItem = { reference: unknown; is_valid: true; resolved_value: JsonValue; data_type: DataType } | InvalidItem;

/**
 * Degraded mode (store unreachable): only the grammar can be checked, so a valid item carries no
 * resolved_value/data_type at all — reporting `null` would claim the value is the JSON null (§3).
 */
export type SyntaxOnlyItem = ({ reference: unknown; is_valid: true } | InvalidItem) & { mode: 'syntax_only' };

/** One item of a validate answer: checked against the store, or by the grammar alone when it is unreachable. */
export type ValidationResult = ValidationItem | SyntaxOnlyItem;

export interface ValidationContext {
  lookup: VariableLookup;
  /** Names visible at stepIndex, in list order (all names when there is no stepIndex). */
  visibleNames: string[];
  stepIndex: number | undefined;
  language: Language;
  /** Counts the item's JSON; throws RESPONSE_TOO_LARGE (before copying a value) once it is past. */
  budget?: OutputBudget;
}

/** How many names or keys a suggestion lists. */
export const SUGGESTION_LIMIT = 5;

export function validateReference(item: unknown, context: ValidationContext): ValidationItem {
  return runToEnd(validateReferenceSteps(item, context));
}

export function* validateReferenceSteps(item: unknown, context: ValidationContext): Steps<ValidationItem> {
  const result = yield* validateUncounted(item, context);
  if (context.budget && !result.is_valid) {
    context.budget.spend(jsonBytesUpTo(result as unknown as JsonValue, context.budget.remaining + 1));
    context.budget.check();
  }
  return result;
}

function* validateUncounted(item: unknown, context: ValidationContext): Steps<ValidationItem> {
  const checked = checkGrammar(item, context.language);
  if ('is_valid' in checked) return checked;
  const { root } = checked;
  const { lookup, stepIndex, language, budget } = context;

  const entry = lookup(root);
  if (entry !== undefined && stepIndex !== undefined && entry.source_step_index >= stepIndex) {
    const visible = visibleNamesSuggestion(yield* closestFirstSteps(context.visibleNames, root), stepIndex, language);
    return invalid(
      item,
      'VARIABLE_NOT_YET_DEFINED',
      notYetDefinedError(root, entry.source_step_index, stepIndex, language),
      notYetDefinedSuggestion(root, entry.source_step_index, visible, language),
    );
  }

  const evaluation = evaluatePath(checked, lookup);
  if (!evaluation.ok) {
    const { failure } = evaluation;
    return invalid(item, failure.code, localizedFailureMessage(failure, language), yield* suggestionFor(failure, context));
  }
  const shown = evaluation.sensitive ? MASKED_VALUE : evaluation.value;
  if (budget) {
    // Counted before the copy: twenty 1 MiB values are refused, not copied first.
    budget.spend(
      jsonBytesUpTo(shown, budget.remaining + 1) + jsonBytesUpTo(item as JsonValue, budget.remaining + 1) + VALID_ITEM_OVERHEAD_BYTES,
    );
    budget.check();
  }
  return {
    reference: item,
    is_valid: true,
    resolved_value: deepCopy(shown),
    // The real type even when masked: listings show a sensitive variable's data_type too.
    data_type: dataTypeOf(evaluation.value),
  };
}

/** `{"reference":,"is_valid":true,"resolved_value":,"data_type":"boolean"}` and a comma. */
const VALID_ITEM_OVERHEAD_BYTES = 70;

export function validateSyntaxOnly(item: unknown, language: Language): SyntaxOnlyItem {
  const checked = checkGrammar(item, language);
  if ('is_valid' in checked) return { ...checked, mode: 'syntax_only' };
  return { reference: item, is_valid: true, mode: 'syntax_only' };
}

/** Format and grammar checks; returns the parsed path, or the invalid item. */
function checkGrammar(item: unknown, language: Language) {
  if (typeof item !== 'string') {
    return invalid(item, 'INVALID_FORMAT', notAStringError(typeOfUnknown(item), language), formatSuggestion(language));
  }
  const reference = isSingleReference(item.trim());
  if (!reference) {
    return invalid(item, 'INVALID_FORMAT', notSingleReferenceError(item, language), formatSuggestion(language));
  }
  const path = parseReferencePath(reference.content);
  if (!path.ok) {
    return invalid(item, 'INVALID_SYNTAX', localizedFailureMessage(syntaxFailure(path), language), syntaxSuggestion(language));
  }
  return path;
}

function* suggestionFor(failure: ReferenceFailure, context: ValidationContext): Steps<string> {
  const { language } = context;
  const at = failure.at ?? '';
  if (failure.code === 'VARIABLE_NOT_FOUND') {
    return visibleNamesSuggestion(yield* closestFirstSteps(context.visibleNames, failure.token), context.stepIndex, language);
  }
  if (failure.arrayLength !== undefined) return arraySuggestion(at, failure.arrayLength, language);
  if (failure.availableKeys !== undefined)
    return keysSuggestion(at, yield* closestFirstSteps(failure.availableKeys, failure.token), language);
  return scalarSuggestion(at, failure.actualType ?? 'null', language);
}

function invalid(reference: unknown, code: ValidationErrorCode, error: string, suggestion: string): InvalidItem {
  return { reference, is_valid: false, error_code: code, error, suggestion };
}

/** JSON-ish type names for a non-string item (undefined shows as null: it cannot appear in JSON). */
function typeOfUnknown(item: unknown): DataType {
  if (item === null || item === undefined) return 'null';
  if (Array.isArray(item)) return 'array';
  const type = typeof item;
  return type === 'number' || type === 'boolean' || type === 'string' ? type : 'object';
}

/** How much of each side edit distance compares, which bounds the cost per candidate. */
const COMPARED_UNITS = 64;

/**
 * Up to SUGGESTION_LIMIT candidates, most similar to what was typed first (so `user_nme` suggests
 * `user_name`); ties keep the given order. Similarity is case-insensitive edit distance over the
 * first 64 code units of each side.
 */
export function closestFirst(candidates: string[], typed: string, limit = SUGGESTION_LIMIT): string[] {
  return runToEnd(closestFirstSteps(candidates, typed, limit));
}

/**
 * The same ranking as sorting every candidate by (distance, position) and keeping the first
 * `limit`, without computing every distance: once `limit` are kept, a candidate whose distance
 * cannot beat the worst kept one (a later equal one loses the tie) is skipped — the length
 * difference is a lower bound, and the distance itself stops once it is past the worst.
 */
export function* closestFirstSteps(candidates: string[], typed: string, limit = SUGGESTION_LIMIT): Steps<string[]> {
  const target = typed.toLowerCase().slice(0, COMPARED_UNITS);
  const targetCounts = unitCounts(target);
  const kept: Array<{ name: string; distance: number }> = []; // sorted by distance, then position
  for (let order = 0; order < candidates.length; order++) {
    if (limit <= 0) break;
    const name = candidates[order];
    const full = kept.length >= limit;
    const worst = full ? kept[kept.length - 1].distance : Infinity;
    const compared = name.toLowerCase().slice(0, COMPARED_UNITS);
    if (!full || (Math.abs(compared.length - target.length) < worst && sharedBound(compared, target, targetCounts) < worst)) {
      const distance = editDistanceBelow(compared, target, worst);
      if (distance < worst) {
        // After every kept one of equal or smaller distance: equal distances keep the given order.
        let at = kept.length;
        while (at > 0 && kept[at - 1].distance > distance) at--;
        kept.splice(at, 0, { name, distance });
        if (kept.length > limit) kept.pop();
      }
    }
    yield;
  }
  return kept.map((entry) => entry.name);
}

/** How often each UTF-16 unit occurs. */
function unitCounts(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i++) counts.set(text.charCodeAt(i), (counts.get(text.charCodeAt(i)) ?? 0) + 1);
  return counts;
}

/**
 * A lower bound on the edit distance: an alignment keeps at most as many units unchanged as the
 * two sides share (as multisets), and must still touch every other unit of the longer side.
 */
function sharedBound(a: string, b: string, bCounts: Map<number, number>): number {
  const used = new Map<number, number>();
  let shared = 0;
  for (let i = 0; i < a.length; i++) {
    const unit = a.charCodeAt(i);
    const taken = used.get(unit) ?? 0;
    if (taken < (bCounts.get(unit) ?? 0)) {
      used.set(unit, taken + 1);
      shared++;
    }
  }
  return Math.max(a.length, b.length) - shared;
}

/**
 * Levenshtein distance of a and b, or any number ≥ `bound` once the distance surely reaches it
 * (every entry of a row is ≥ bound: later rows only grow from there).
 */
function editDistanceBelow(a: string, b: string, bound: number): number {
  // Two reused rows: candidates are compared by the ten thousand.
  if (rows.length < b.length + 1) rows = [new Int32Array(b.length + 1), new Int32Array(b.length + 1)];
  let [previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const unit = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (unit === b.charCodeAt(j - 1) ? 0 : 1));
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin >= bound) return bound;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

let rows: [Int32Array, Int32Array] = [new Int32Array(COMPARED_UNITS + 1), new Int32Array(COMPARED_UNITS + 1)];

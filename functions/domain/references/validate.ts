/** Per-item logic of `POST /variables/validate` (API.md §5 "Smart hints"). */
import { dataTypeOf, deepCopy, type DataType, type JsonValue } from '#domain/json';
import type { Language } from '#domain/language';
import { isSingleReference, parseReferencePath } from '#domain/references/grammar';
import { MASKED_VALUE, evaluatePath, type ReferenceFailure, type VariableLookup } from '#domain/references/evaluate';
import {
  arraySuggestion, formatSuggestion, keysSuggestion, localizedFailureMessage, notAStringError,
  notSingleReferenceError, notYetDefinedError, notYetDefinedSuggestion, scalarSuggestion,
  syntaxSuggestion, visibleNamesSuggestion,
} from '#domain/references/messages';

export type ValidationErrorCode =
  | 'INVALID_FORMAT' | 'INVALID_SYNTAX' | 'VARIABLE_NOT_FOUND' | 'VARIABLE_NOT_YET_DEFINED'
  | 'PROPERTY_NOT_FOUND' | 'INDEX_OUT_OF_RANGE' | 'TYPE_MISMATCH';

export type InvalidItem = { reference: unknown; is_valid: false; error_code: ValidationErrorCode; error: string; suggestion: string };

export type ValidationItem =
  | { reference: unknown; is_valid: true; resolved_value: JsonValue; data_type: DataType }
  | InvalidItem;

/**
 * Degraded mode (store unreachable): only the grammar can be checked, so a valid item carries no
 * resolved_value/data_type at all — reporting `null` would claim the value is the JSON null (§3).
 */
export type SyntaxOnlyItem = ({ reference: unknown; is_valid: true } | InvalidItem) & { mode: 'syntax_only' };

export interface ValidationContext {
  lookup: VariableLookup;
  /** Names visible at stepIndex, in list order (all names when there is no stepIndex). */
  visibleNames: string[];
  stepIndex: number | undefined;
  language: Language;
}

/** How many names or keys a suggestion lists. */
export const SUGGESTION_LIMIT = 5;

export function validateReference(item: unknown, context: ValidationContext): ValidationItem {
  const checked = checkGrammar(item, context.language);
  if ('is_valid' in checked) return checked;
  const { root } = checked;
  const { lookup, stepIndex, language } = context;

  const entry = lookup(root);
  if (entry !== undefined && stepIndex !== undefined && entry.source_step_index >= stepIndex) {
    const visible = visibleNamesSuggestion(closestFirst(context.visibleNames, root), stepIndex, language);
    return invalid(item, 'VARIABLE_NOT_YET_DEFINED',
      notYetDefinedError(root, entry.source_step_index, stepIndex, language),
      notYetDefinedSuggestion(root, entry.source_step_index, visible, language));
  }

  const evaluation = evaluatePath(checked, lookup);
  if (!evaluation.ok) {
    const { failure } = evaluation;
    return invalid(item, failure.code, localizedFailureMessage(failure, language), suggestionFor(failure, context));
  }
  return {
    reference: item,
    is_valid: true,
    resolved_value: evaluation.sensitive ? MASKED_VALUE : deepCopy(evaluation.value),
    // The real type even when masked: listings show a sensitive variable's data_type too.
    data_type: dataTypeOf(evaluation.value),
  };
}

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
    const failure: ReferenceFailure = {
      code: 'INVALID_SYNTAX', token: path.token, message: path.message,
      syntaxReason: path.reason, content: path.content, at: path.before,
    };
    return invalid(item, 'INVALID_SYNTAX', localizedFailureMessage(failure, language), syntaxSuggestion(language));
  }
  return path;
}

function suggestionFor(failure: ReferenceFailure, context: ValidationContext): string {
  const { language } = context;
  const at = failure.at ?? '';
  if (failure.code === 'VARIABLE_NOT_FOUND') {
    return visibleNamesSuggestion(closestFirst(context.visibleNames, failure.token), context.stepIndex, language);
  }
  if (failure.arrayLength !== undefined) return arraySuggestion(at, failure.arrayLength, language);
  if (failure.availableKeys !== undefined) return keysSuggestion(at, closestFirst(failure.availableKeys, failure.token), language);
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

/**
 * Up to SUGGESTION_LIMIT candidates, most similar to what was typed first (so `user_nme` suggests
 * `user_name`); ties keep the given order. Similarity is case-insensitive edit distance.
 */
export function closestFirst(candidates: string[], typed: string, limit = SUGGESTION_LIMIT): string[] {
  const target = typed.toLowerCase();
  return candidates
    .map((name, order) => ({ name, order, distance: editDistance(name.toLowerCase(), target) }))
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, limit)
    .map((entry) => entry.name);
}

/** Levenshtein distance over the first 64 code units of each side, which bounds the cost per candidate. */
function editDistance(left: string, right: string): number {
  const a = left.slice(0, 64);
  const b = right.slice(0, 64);
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Substitution in text mode and params mode, with one lineage record per occurrence (API.md §4). */
import { deepCopy, isJsonObject, type JsonValue } from '#domain/json';
import { orderedObject } from '#domain/ordered-json';
import { isSingleReference, parseReferencePath, scanReferences, type ScannedReference } from '#domain/references/grammar';
import {
  MASKED_VALUE, evaluatePath, renderText,
  type Evaluation, type FailureCode, type ReferenceFailure, type VariableLookup,
} from '#domain/references/evaluate';

/** A lineage record without the fields the store adds (created_at, ids). */
export interface ReferenceRecordDraft {
  step_index: number;
  variable_name: string;
  reference_path: string;
  parameter_name: string;
  original_expression: string;
  /** Text-mode rendering; null on failure; "******" when the root variable is sensitive. */
  resolved_value: string | null;
  resolution_status: 'success' | 'failed';
  error_code: FailureCode | null;
  /** English. */
  error_message: string | null;
  /** The structured failure, for localized texts; not part of the stored record. */
  failure?: ReferenceFailure;
}

export interface ResolveOptions {
  stepIndex: number;
  /**
   * Text mode: the records' parameter_name. Params mode: a prefix for each leaf's path —
   * `name.leaf`, `name[0]` under a top-level array, or just `name` for a bare string.
   */
  parameterName?: string;
}

/** Evaluates one scanned occurrence and describes it as a record. */
function evaluateOccurrence(reference: ScannedReference, lookup: VariableLookup, stepIndex: number, parameterName: string) {
  const path = parseReferencePath(reference.content);
  const evaluation: Evaluation = evaluatePath(path, lookup);
  const record: ReferenceRecordDraft = {
    step_index: stepIndex,
    variable_name: path.ok ? path.root : path.rootText,
    reference_path: reference.content,
    parameter_name: parameterName,
    original_expression: reference.expression,
    resolved_value: null,
    resolution_status: 'failed',
    error_code: null,
    error_message: null,
  };
  if (evaluation.ok) {
    record.resolution_status = 'success';
    record.resolved_value = evaluation.sensitive ? MASKED_VALUE : renderText(evaluation.value);
  } else {
    record.error_code = evaluation.failure.code;
    record.error_message = evaluation.failure.message;
    record.failure = evaluation.failure;
  }
  return { evaluation, record };
}

/** One left-to-right pass: substituted text is appended to the output, never scanned again. */
function substituteText(text: string, lookup: VariableLookup, stepIndex: number, parameterName: string, records: ReferenceRecordDraft[]): string {
  const references = scanReferences(text);
  if (references.length === 0) return text;
  const pieces: string[] = [];
  let copiedUpTo = 0;
  for (const reference of references) {
    const { evaluation, record } = evaluateOccurrence(reference, lookup, stepIndex, parameterName);
    records.push(record);
    pieces.push(text.slice(copiedUpTo, reference.start));
    // A failed reference stays exactly as written.
    pieces.push(evaluation.ok ? renderText(evaluation.value) : reference.expression);
    copiedUpTo = reference.end;
  }
  pieces.push(text.slice(copiedUpTo));
  return pieces.join('');
}

export function resolveText(text: string, lookup: VariableLookup, options: ResolveOptions): { text: string; records: ReferenceRecordDraft[] } {
  const records: ReferenceRecordDraft[] = [];
  const resolved = substituteText(text, lookup, options.stepIndex, options.parameterName ?? '', records);
  return { text: resolved, records };
}

export function resolveParams(params: JsonValue, lookup: VariableLookup, options: ResolveOptions): { params: JsonValue; records: ReferenceRecordDraft[] } {
  const records: ReferenceRecordDraft[] = [];
  const prefix = options.parameterName ?? '';

  const resolveLeaf = (text: string, leafPath: string): JsonValue => {
    const parameterName = withPrefix(prefix, leafPath);
    const single = isSingleReference(text);
    if (!single) return substituteText(text, lookup, options.stepIndex, parameterName, records);
    const { evaluation, record } = evaluateOccurrence(single, lookup, options.stepIndex, parameterName);
    records.push(record);
    // Whole-field reference: the typed value, copied so the output never aliases stored data.
    return evaluation.ok ? deepCopy(evaluation.value) : text;
  };

  // Recursion depth is bounded by the API's nesting limit (64).
  const walk = (node: JsonValue, leafPath: string): JsonValue => {
    if (typeof node === 'string') return resolveLeaf(node, leafPath);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${leafPath}[${index}]`));
    if (isJsonObject(node)) {
      // orderedObject defines each key (never `output[key] =`, which would let `__proto__` set the prototype) and keeps key order.
      return orderedObject(Object.keys(node).map((key) => {
        const child = Object.getOwnPropertyDescriptor(node, key)!.value as JsonValue;
        return [key, walk(child, leafPath === '' ? key : `${leafPath}.${key}`)] as const;
      }));
    }
    return node;
  };

  return { params: walk(params, ''), records };
}

function withPrefix(prefix: string, leafPath: string): string {
  if (prefix === '') return leafPath;
  if (leafPath === '') return prefix;
  return leafPath.startsWith('[') ? prefix + leafPath : `${prefix}.${leafPath}`;
}

/** Occurrences the scanner finds in all string leaves (object keys are never resolved, so not counted). */
export function countReferences(input: JsonValue): number {
  let count = 0;
  const stack: JsonValue[] = [input];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node === 'string') count += scanReferences(node).length;
    else if (Array.isArray(node)) for (const item of node) stack.push(item); // no spread: huge arrays would overflow the call stack
    else if (isJsonObject(node)) for (const key of Object.keys(node)) stack.push(Object.getOwnPropertyDescriptor(node, key)!.value as JsonValue);
  }
  return count;
}

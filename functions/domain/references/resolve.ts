/**
 * Substitution in text mode and params mode, with one lineage record per occurrence (API.md §4),
 * bounded as §8 asks: the answer's bytes are counted while it is built and substitution stops as
 * soon as they pass the budget; records carry a capped `resolved_value`; the walk pauses between
 * occurrences (domain/cooperative.ts) so a caller can let other work run.
 */
import { runToEnd, type Steps } from '#domain/cooperative';
import { isJsonObject, type JsonObject, type JsonValue } from '#domain/json';
import { jsonBytesUpTo, jsonStringBytes, OutputBudget } from '#domain/output-budget';
import { isIndexLikeKey, orderedObject } from '#domain/ordered-json';
import { capText, cappedRendering } from '#domain/references/capped-rendering';
import { isSingleReference, parseReferencePath, scanReferences, type ScannedReference } from '#domain/references/grammar';
import {
  MASKED_VALUE,
  evaluatePath,
  renderText,
  type Evaluation,
  type FailureCode,
  type ReferenceFailure,
  type VariableLookup,
} from '#domain/references/evaluate';

/** A lineage record without the fields the store adds (created_at, ids). */
export interface ReferenceRecordDraft {
  step_index: number;
  variable_name: string;
  reference_path: string;
  parameter_name: string;
  original_expression: string;
  /** Text-mode rendering, capped at 1,024 code points; null on failure; "******" when the root variable is sensitive. */
  resolved_value: string | null;
  /** Present (true) only when resolved_value was cut. */
  resolved_value_truncated?: true;
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
  /** What the answer may grow to: the substituted values and the records. Unlimited when absent. */
  budget?: OutputBudget;
  /**
   * false: only evaluate and record (no output is built), e.g. to learn whether a strict resolve
   * whose output was too large has failures. Default true.
   */
  substitute?: boolean;
}

/** `complete: false` when the budget ran out: the output was not built and the records stop there. */
export type Resolution<T> =
  | { complete: true; output: T; records: ReferenceRecordDraft[] }
  | { complete: false; records: ReferenceRecordDraft[] };

/** Bytes a record's JSON gains when presented: `,"created_at":"2026-11-26T09:15:02.123Z"`. */
const CREATED_AT_BYTES = 40;

/** Thrown inside the walk when the budget runs out; caught by the walk's own entry point. */
class OverBudget {}

/** The capped rendering of each container, per resolve call: 40 references to one object cut it once. */
type RenderingMemo = WeakMap<object, { text: string; truncated: boolean }>;

function recordValue(value: JsonValue, memo: RenderingMemo, fullText?: string) {
  if (fullText !== undefined) return capText(fullText);
  if (value === null || typeof value !== 'object') return cappedRendering(value);
  let capped = memo.get(value);
  if (!capped) memo.set(value, (capped = cappedRendering(value)));
  return capped;
}

/**
 * Evaluates one scanned occurrence and describes it as a record. `fullText` is the value's whole
 * rendering when the caller has it already (text mode), so it is cut rather than rendered again.
 */
function recordOccurrence(
  reference: ScannedReference,
  evaluation: Evaluation,
  path: ReturnType<typeof parseReferencePath>,
  stepIndex: number,
  parameterName: string,
  memo: RenderingMemo,
  fullText?: string,
): ReferenceRecordDraft {
  const variableName = path.ok ? path.root : path.rootText;
  const base = {
    step_index: stepIndex,
    variable_name: variableName,
    reference_path: reference.content,
    parameter_name: parameterName,
    original_expression: reference.expression,
  };
  if (evaluation.ok) {
    const capped = evaluation.sensitive ? { text: MASKED_VALUE, truncated: false } : recordValue(evaluation.value, memo, fullText);
    // Field by field, so the JSON reads in the contract's order.
    return {
      ...base,
      resolved_value: capped.text,
      ...(capped.truncated ? { resolved_value_truncated: true as const } : {}),
      resolution_status: 'success',
      error_code: null,
      error_message: null,
    };
  }
  return {
    ...base,
    resolved_value: null,
    resolution_status: 'failed',
    error_code: evaluation.failure.code,
    error_message: evaluation.failure.message,
    failure: evaluation.failure,
  };
}

/** JSON bytes of a record as presented (the failure is not part of it). */
export function recordJsonBytes(record: ReferenceRecordDraft): number {
  const { failure: _notPresented, ...fields } = record;
  return jsonBytesUpTo(fields as unknown as JsonValue) + CREATED_AT_BYTES;
}

/** The shared state of one resolve call. */
class Resolver {
  readonly records: ReferenceRecordDraft[] = [];
  private readonly memo: RenderingMemo = new WeakMap();
  private readonly sizes = new WeakMap<object, number>();
  private readonly budget: OutputBudget;
  readonly substitute: boolean;

  constructor(
    private readonly lookup: VariableLookup,
    private readonly stepIndex: number,
    options: ResolveOptions,
  ) {
    this.budget = options.budget ?? new OutputBudget(Infinity);
    this.substitute = options.substitute ?? true;
  }

  private spend(bytes: number): void {
    if (!this.budget.spend(bytes)) throw new OverBudget();
  }

  private keep(record: ReferenceRecordDraft): void {
    this.records.push(record);
    this.spend(recordJsonBytes(record));
  }

  /** One left-to-right pass: substituted text is appended to the output, never scanned again. */
  *text(text: string, parameterName: string): Steps<string> {
    const references = scanReferences(text);
    if (references.length === 0) return text;
    const pieces: string[] = [];
    let copiedUpTo = 0;
    for (const reference of references) {
      const path = parseReferencePath(reference.content);
      const evaluation = evaluatePath(path, this.lookup);
      let rendered: string | undefined;
      if (evaluation.ok && this.substitute) {
        // A cheap lower bound first, so a value far past the budget is never rendered whole.
        if (typeof evaluation.value === 'object' && evaluation.value !== null) this.checkFits(this.sizeOf(evaluation.value));
        rendered = renderText(evaluation.value);
        this.spend(jsonStringBytes(rendered, this.budget.remaining + 3) - 2);
      }
      this.keep(recordOccurrence(reference, evaluation, path, this.stepIndex, parameterName, this.memo, rendered));
      if (this.substitute) {
        pieces.push(text.slice(copiedUpTo, reference.start));
        // A failed reference stays exactly as written.
        pieces.push(rendered ?? reference.expression);
        copiedUpTo = reference.end;
      }
      yield;
    }
    if (!this.substitute) return text;
    pieces.push(text.slice(copiedUpTo));
    return pieces.join('');
  }

  /** A value's JSON size, once per container per resolve: 40 references to one object measure it once. */
  private sizeOf(value: JsonValue): number {
    if (value === null || typeof value !== 'object') return jsonBytesUpTo(value, this.budget.remaining + 1);
    let size = this.sizes.get(value);
    if (size === undefined) {
      size = jsonBytesUpTo(value, this.budget.remaining + 1);
      // A count cut short (past what remained) is only a lower bound: not kept.
      if (size <= this.budget.remaining) this.sizes.set(value, size);
    }
    return size;
  }

  private checkFits(bytes: number): void {
    if (bytes > this.budget.remaining) throw new OverBudget();
  }

  /** A string leaf that is exactly one reference becomes the typed value; any other string is text. */
  *leaf(text: string, parameterName: string): Steps<JsonValue> {
    const single = isSingleReference(text);
    if (!single) return yield* this.text(text, parameterName);
    const path = parseReferencePath(single.content);
    const evaluation = evaluatePath(path, this.lookup);
    let output: JsonValue = text;
    if (evaluation.ok && this.substitute) {
      this.spend(this.sizeOf(evaluation.value));
      // The typed value, copied so the output never aliases stored data; in pieces, pausing between them.
      output = yield* copySteps(evaluation.value);
    }
    this.keep(recordOccurrence(single, evaluation, path, this.stepIndex, parameterName, this.memo));
    yield;
    return output;
  }

  /** Recursion depth is bounded by the API's nesting limit (64). */
  *walk(node: JsonValue, leafPath: string, prefix: string): Steps<JsonValue> {
    if (typeof node === 'string') return yield* this.leaf(node, withPrefix(prefix, leafPath));
    if (Array.isArray(node)) {
      const items: JsonValue[] = [];
      for (let index = 0; index < node.length; index++) items.push(yield* this.walk(node[index], `${leafPath}[${index}]`, prefix));
      return items;
    }
    if (isJsonObject(node)) {
      const entries: Array<readonly [string, JsonValue]> = [];
      for (const key of Object.keys(node)) {
        const child = Object.getOwnPropertyDescriptor(node, key)!.value as JsonValue;
        entries.push([key, yield* this.walk(child, leafPath === '' ? key : `${leafPath}.${key}`, prefix)] as const);
      }
      // orderedObject defines each key (never `output[key] =`, which would let `__proto__` set the prototype) and keeps key order.
      return orderedObject(entries);
    }
    return node;
  }
}

/** Nodes copied between two pauses. */
const COPY_SLICE = 2048;

/**
 * A deep copy of a JSON value that pauses every COPY_SLICE nodes (a 1 MiB object is ~100,000 of
 * them, possibly all in one object). `__proto__` is defined, never assigned (assigning it would set
 * the prototype), so it stays an own data key; key order is kept.
 */
function* copySteps(value: JsonValue): Steps<JsonValue> {
  if (value === null || typeof value !== 'object') return value;
  type Frame = { from: JsonValue[]; to: JsonValue[]; next: number } | { from: JsonObject; to: JsonObject; keys: string[]; next: number };
  const open = (node: JsonValue[] | JsonObject): { copy: JsonValue; frame: Frame } => {
    if (Array.isArray(node)) {
      const copy: JsonValue[] = new Array(node.length);
      return { copy, frame: { from: node, to: copy, next: 0 } };
    }
    const keys = Object.keys(node);
    // A plain object would list integer-like keys ("10") first: such a copy keeps the source's order
    // the way parseJson's objects do (ordered-json.ts), and is filled through the proxy.
    const target: JsonObject = {};
    const copy = keys.some(isIndexLikeKey) ? new Proxy(target, { ownKeys: () => [...keys] }) : target;
    return { copy, frame: { from: node, to: copy, keys, next: 0 } };
  };
  const top = open(value);
  const stack: Frame[] = [top.frame];
  let copied = 0;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const length = 'keys' in frame ? frame.keys.length : frame.from.length;
    if (frame.next >= length) {
      stack.pop();
      continue;
    }
    const index = frame.next++;
    const key = 'keys' in frame ? frame.keys[index] : index;
    const child = 'keys' in frame ? frame.from[key as string] : frame.from[index];
    let made: JsonValue = child;
    if (child !== null && typeof child === 'object') {
      const opened = open(child);
      made = opened.copy;
      stack.push(opened.frame);
    }
    if (!('keys' in frame)) frame.to[index] = made;
    else if (key === '__proto__')
      Object.defineProperty(frame.to, key, { value: made, enumerable: true, writable: true, configurable: true });
    else frame.to[key as string] = made;
    if (++copied >= COPY_SLICE) {
      copied = 0;
      yield;
    }
  }
  return top.copy;
}

function* bounded<T>(resolver: Resolver, work: Steps<T>): Steps<Resolution<T>> {
  try {
    const output = yield* work;
    return { complete: true, output, records: resolver.records };
  } catch (error) {
    if (error instanceof OverBudget) return { complete: false, records: resolver.records };
    throw error;
  }
}

export function resolveTextSteps(text: string, lookup: VariableLookup, options: ResolveOptions): Steps<Resolution<string>> {
  const resolver = new Resolver(lookup, options.stepIndex, options);
  return bounded(resolver, resolver.text(text, options.parameterName ?? ''));
}

export function resolveParamsSteps(params: JsonValue, lookup: VariableLookup, options: ResolveOptions): Steps<Resolution<JsonValue>> {
  const resolver = new Resolver(lookup, options.stepIndex, options);
  return bounded(resolver, resolver.walk(params, '', options.parameterName ?? ''));
}

/** Text mode, all at once and unbounded (pure callers and tests). */
export function resolveText(
  text: string,
  lookup: VariableLookup,
  options: ResolveOptions,
): { text: string; records: ReferenceRecordDraft[] } {
  const resolution = runToEnd(resolveTextSteps(text, lookup, { ...options, budget: undefined, substitute: true }));
  if (!resolution.complete) throw new Error('unreachable: an unlimited budget cannot run out');
  return { text: resolution.output, records: resolution.records };
}

/** Params mode, all at once and unbounded (pure callers and tests). */
export function resolveParams(
  params: JsonValue,
  lookup: VariableLookup,
  options: ResolveOptions,
): { params: JsonValue; records: ReferenceRecordDraft[] } {
  const resolution = runToEnd(resolveParamsSteps(params, lookup, { ...options, budget: undefined, substitute: true }));
  if (!resolution.complete) throw new Error('unreachable: an unlimited budget cannot run out');
  return { params: resolution.output, records: resolution.records };
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
    else if (Array.isArray(node))
      for (const item of node) stack.push(item); // no spread: huge arrays would overflow the call stack
    else if (isJsonObject(node))
      for (const key of Object.keys(node)) stack.push(Object.getOwnPropertyDescriptor(node, key)!.value as JsonValue);
  }
  return count;
}

/** Evaluation of a parsed reference path against an execution's variables (API.md §4 "Evaluation"). */
import { compactJson, dataTypeOf, isJsonObject, ownProperty, type DataType, type JsonObject, type JsonValue } from '#domain/json';
import { NUMERIC_KEY, segmentText, type ParsedPath, type PathSegment, type SyntaxReason } from '#domain/references/grammar';

export interface VariableEntry {
  value: JsonValue;
  sensitive: boolean;
  source_step_index: number;
}

/** Implemented by callers with Map.get — never via a plain object, whose prototype would answer `constructor`. */
export type VariableLookup = (name: string) => VariableEntry | undefined;

export type FailureCode = 'INVALID_SYNTAX' | 'VARIABLE_NOT_FOUND' | 'PROPERTY_NOT_FOUND' | 'INDEX_OUT_OF_RANGE' | 'TYPE_MISMATCH';

export interface ReferenceFailure {
  code: FailureCode;
  /** The offending token: variable name, property, index as written (`-4`), or bad syntax text. */
  token: string;
  /** English, names the token. */
  message: string;
  /** Keys of the object the failing segment was applied to (PROPERTY_NOT_FOUND, `[n]` on an object). */
  availableKeys?: string[];
  /** Length of the array the failing segment was applied to. */
  arrayLength?: number;
  /** The path (as written) of the value the failing segment was applied to, e.g. `user.items`; for syntax, what parsed before the token. */
  at?: string;
  /** Type of the value at `at` (path failures). */
  actualType?: DataType;
  /** TYPE_MISMATCH: whether a `.key` or an `[n]` was applied (they read differently). */
  segmentKind?: 'key' | 'index';
  /** INVALID_SYNTAX only. */
  syntaxReason?: SyntaxReason;
  /** INVALID_SYNTAX only: the whole path content. */
  content?: string;
}

/** The value is the stored one, not a copy: callers that hand it out must deepCopy it. */
export type Evaluation = { ok: true; value: JsonValue; sensitive: boolean } | { ok: false; failure: ReferenceFailure };

/** What a sensitive value shows as in records and validate results. */
export const MASKED_VALUE = '******';

/** The failure a reference path that does not parse stands for. */
export function syntaxFailure(path: Extract<ParsedPath, { ok: false }>): ReferenceFailure {
  return {
    code: 'INVALID_SYNTAX',
    token: path.token,
    message: path.message,
    syntaxReason: path.reason,
    content: path.content,
    at: path.before,
  };
}

export function evaluatePath(path: ParsedPath, lookup: VariableLookup): Evaluation {
  if (!path.ok) return failed(syntaxFailure(path));
  const entry = lookup(path.root);
  if (entry === undefined) {
    return failed({ code: 'VARIABLE_NOT_FOUND', token: path.root, message: `Variable '${path.root}' not found` });
  }
  let current = entry.value;
  let at = path.root;
  for (const segment of path.segments) {
    const step = applySegment(current, segment, at);
    if (!step.ok) return step;
    current = step.value;
    at += segmentText(segment);
  }
  return { ok: true, value: current, sensitive: entry.sensitive };
}

type Step = { ok: true; value: JsonValue } | { ok: false; failure: ReferenceFailure };

function applySegment(value: JsonValue, segment: PathSegment, at: string): Step {
  if (segment.kind === 'key') {
    if (isJsonObject(value)) {
      const property = ownProperty(value, segment.key);
      if (property.found) return { ok: true, value: property.value };
      return failed(
        withAvailableKeys(
          {
            code: 'PROPERTY_NOT_FOUND',
            token: segment.key,
            at,
            actualType: 'object',
            message: `Property '${segment.key}' not found in '${at}'`,
          },
          value,
        ),
      );
    }
    if (Array.isArray(value)) {
      if (NUMERIC_KEY.test(segment.key)) return element(value, Number(segment.key) || 0, segment.key, at);
      return failed({
        code: 'PROPERTY_NOT_FOUND',
        token: segment.key,
        at,
        actualType: 'array',
        arrayLength: value.length,
        message: `Property '${segment.key}' not found in '${at}': it is an array, use an index such as [0]`,
      });
    }
    const actualType = dataTypeOf(value);
    return failed({
      code: 'TYPE_MISMATCH',
      token: segment.key,
      at,
      actualType,
      segmentKind: 'key',
      message: `Cannot read property '${segment.key}' of '${at}': it is ${article(actualType)}, not an object`,
    });
  }
  const written = indexText(segment);
  if (Array.isArray(value)) return element(value, segment.index, written, at);
  const actualType = dataTypeOf(value);
  const mismatch: ReferenceFailure = {
    code: 'TYPE_MISMATCH',
    token: written,
    at,
    actualType,
    segmentKind: 'index',
    message: `Cannot use index ${written} on '${at}': it is ${article(actualType)}, not an array`,
  };
  return failed(isJsonObject(value) ? withAvailableKeys(mismatch, value) : mismatch);
}

/** n ≥ 0 counts from the start, n < 0 from the end; anything else (including 1e20 or Infinity) is out of range. */
function element(array: JsonValue[], index: number, written: string, at: string): Step {
  const position = index < 0 ? array.length + index : index;
  if (Number.isInteger(position) && position >= 0 && position < array.length) return { ok: true, value: array[position] };
  return failed({
    code: 'INDEX_OUT_OF_RANGE',
    token: written,
    at,
    actualType: 'array',
    arrayLength: array.length,
    message: `Index ${written} is out of range for '${at}' (length ${array.length})`,
  });
}

/** The index digits as the user wrote them (`[007]` → `007`), since huge literals lose precision as numbers. */
function indexText(segment: Extract<PathSegment, { kind: 'index' }>): string {
  return segment.text !== undefined ? segment.text.slice(1, -1) : String(segment.index);
}

function article(type: DataType): string {
  return type === 'null' ? 'null' : type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`;
}

/**
 * `availableKeys` is listed only when read (validate's suggestions): a resolve of 1,000 missing
 * keys of a 100,000-key object must not list the keys 1,000 times for records that drop them.
 */
function withAvailableKeys(failure: ReferenceFailure, object: JsonObject): ReferenceFailure {
  let keys: string[] | undefined;
  return Object.defineProperty(failure, 'availableKeys', {
    enumerable: true,
    configurable: true,
    get: () => (keys ??= Object.keys(object)),
  });
}

function failed(failure: ReferenceFailure): { ok: false; failure: ReferenceFailure } {
  return { ok: false, failure };
}

/** §4 text rendering: string as-is, String(n), true/false, null, compact JSON for containers. */
export function renderText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  return compactJson(value);
}

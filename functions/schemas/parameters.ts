/**
 * Path, query and header parameters as the route table declares them. Each is a zod schema that
 * both coerces the raw string the way API.md §5 reads it (a `limit` above the maximum is clamped,
 * `include_values` is true only for "true") and documents the type a client sends (integer,
 * boolean) — the OpenAPI document reads a preprocessed schema by its target type. Each that can
 * fail carries its answer: the exact ApiError of that parameter, built from the raw value.
 * Each parameter is made by a function: a schema built at module level would be in every function
 * bundle that imports this file, while an unused function is left out of the bundle.
 */
import * as z from 'zod/mini';
import { ApiError, excerpt } from '#domain/errors';
import { clampMaxDepth, DEFAULT_PROPERTIES_DEPTH } from '#domain/hints/properties';
import { checkSearchQuery } from '#domain/hints/search';
import { EXECUTION_ID_PATTERN, isVariableName, MAX_STEP_INDEX, parseBooleanFlag, parseIntegerParam } from '#domain/identifiers';
import { parseReferencePath } from '#domain/references/grammar';
import { integer, variableName } from '#schemas/common';
import { described, documented } from '#schemas/registry';

/** The error a parameter answers with when its raw value (undefined when absent) fails its schema. */
type ParameterAnswer = (raw: string | undefined) => ApiError;

interface Parameter<S extends z.ZodMiniType = z.ZodMiniType> {
  schema: S;
  /** Absent for parameters that take any string (or none). */
  answer?: ParameterAnswer;
}

type ShapeOf<P extends Record<string, Parameter>> = { [K in keyof P]: P[K]['schema'] };

/** One place's parameters (path, query or headers) and, per failing field, its answer in check order. */
export interface ParameterSet<P extends Record<string, Parameter> = Record<string, Parameter>> {
  schema: z.ZodMiniObject<ShapeOf<P>>;
  /** Fields that can fail, first checked first: when several fail, the first one's answer is given. */
  answers: ReadonlyArray<readonly [string, ParameterAnswer]>;
}

/**
 * `checkOrder` is the order the service has always checked these parameters in (it may differ from
 * the order they are documented in); fields left out are checked after, in documented order.
 */
export function parameterSet<const P extends Record<string, Parameter>>(
  parameters: P,
  checkOrder: ReadonlyArray<keyof P & string> = [],
): ParameterSet<P> {
  const shape = Object.fromEntries(Object.entries(parameters).map(([name, { schema }]) => [name, schema])) as ShapeOf<P>;
  const names = [...new Set([...checkOrder, ...Object.keys(parameters)])];
  const answers = names.flatMap((name) => {
    const answer = parameters[name].answer;
    return answer ? [[name, answer] as const] : [];
  });
  return { schema: z.object(shape), answers };
}

const asString = (raw: unknown): string | undefined => (typeof raw === 'string' ? raw : undefined);

/** `raw` turned by `coerce`, then checked by `schema` (classic zod's `z.preprocess`). */
const preprocess = <S extends z.ZodMiniType>(coerce: (raw: unknown) => unknown, schema: S) => z.pipe(z.transform(coerce), schema);

// ---- Path -----------------------------------------------------------------------------------------

export function executionIdParameter() {
  return {
    schema: described(z.string().check(z.regex(EXECUTION_ID_PATTERN)), {
      description: 'Execution id: 1-64 letters, digits, _ or -, starting with a letter or digit',
    }),
    answer: (raw = '') => new ApiError('INVALID_EXECUTION_ID', `Invalid execution id '${excerpt(raw)}'`, { execution_id: excerpt(raw) }),
  } satisfies Parameter;
}

const invalidPathName: ParameterAnswer = (raw = '') =>
  new ApiError('INVALID_VARIABLE_NAME', `Invalid variable name '${excerpt(raw)}'`, { variable_name: excerpt(raw) });

export function variableNameParameter() {
  return { schema: variableName, answer: invalidPathName } satisfies Parameter;
}

/** A name, or a reference path whose root is a name (`product_info.specs`, `items[-1].tags`). */
function isNameOrPath(value: string): boolean {
  const path = parseReferencePath(value);
  return path.ok && isVariableName(path.root);
}

/** `{variable_name}` of the properties route: a name or a reference path (§4 grammar without the braces). */
export function nameOrPathParameter() {
  return {
    schema: described(z.string().check(z.minLength(1), z.refine(isNameOrPath)), {
      description: 'A variable name, or a reference path such as product_info.specs, items[0] or items[-1].tags',
      examples: ['product_info', 'product_info.specs', 'items[0]'],
    }),
    answer: invalidPathName,
  } satisfies Parameter;
}

// ---- Query ----------------------------------------------------------------------------------------

/** `limit`: a positive integer, clamped to the maximum (a huge integer too); absent is the default; anything else is 400. */
export function limitParameter(fallback: number, maximum: number, description: string) {
  const coerce = (raw: unknown): unknown => {
    const text = asString(raw);
    if (text === undefined) return fallback;
    const value = parseIntegerParam(text);
    if (value !== undefined && value >= 1) return Math.min(value, maximum);
    if (/^\d+$/.test(text) && text.replace(/^0+/, '').length > 0) return maximum;
    return raw;
  };
  return {
    schema: described(preprocess(coerce, integer().check(z.gte(1))), { description }),
    answer: (raw = '') =>
      new ApiError('INVALID_REQUEST', `Query parameter 'limit' must be a positive integer, got '${excerpt(raw)}'`, { field: 'limit' }),
  } satisfies Parameter;
}

export function cursorParameter() {
  return { schema: described(z.optional(z.string()), { description: 'next_cursor of the previous page' }) } satisfies Parameter;
}

/** A boolean flag: when present, only the string "true" in any letter case means true (API.md §2). */
export function flagParameter(fallback: boolean, description: string) {
  return {
    schema: described(
      preprocess((raw) => parseBooleanFlag(asString(raw), fallback), z.boolean()),
      { description: `${description}; only the string "true" in any letter case means true` },
    ),
  } satisfies Parameter;
}

/** `step_index` where it must be an integer: not one is 400 INVALID_REQUEST, out of 0..100000 is INVALID_STEP_INDEX. */
export function stepIndexParameter(description: string) {
  return {
    schema: described(
      preprocess((raw) => parseIntegerParam(asString(raw)) ?? raw, z.optional(integer().check(z.gte(0), z.lte(MAX_STEP_INDEX)))),
      { description },
    ),
    answer: (raw = '') =>
      parseIntegerParam(raw) === undefined
        ? new ApiError('INVALID_REQUEST', `Query parameter 'step_index' must be an integer, got '${excerpt(raw)}'`, { field: 'step_index' })
        : new ApiError('INVALID_STEP_INDEX', `Query parameter 'step_index' must be 0..100000, got '${excerpt(raw)}'`, {
            field: 'step_index',
          }),
  } satisfies Parameter;
}

/**
 * The editor's loose `step_index` (suggestions only): not an integer means absent. So does an
 * integer beyond 2^53, which no JSON number could echo exactly.
 */
export function looseStepIndexParameter() {
  return {
    schema: described(
      preprocess((raw) => parseIntegerParam(asString(raw)), z.optional(integer())),
      { description: 'Only variables from earlier steps; a non-integer is treated as absent' },
    ),
  } satisfies Parameter;
}

/** The editor's loose `limit` (suggestions only): a value that is not a positive integer is ignored. */
export function looseLimitParameter() {
  return {
    schema: described(
      preprocess((raw) => {
        const value = parseIntegerParam(asString(raw));
        return value !== undefined && value > 0 ? value : undefined;
      }, z.optional(integer())),
      { description: 'Cut after ordering; a value that is not a positive integer is ignored' },
    ),
  } satisfies Parameter;
}

/** `max_depth`: any integer, clamped to 1..5 (even one too large to represent exactly); not an integer is 400. */
export function maxDepthParameter() {
  return {
    schema: described(
      preprocess((raw) => {
        const text = asString(raw);
        if (text === undefined) return DEFAULT_PROPERTIES_DEPTH;
        if (!/^-?\d+$/.test(text)) return raw;
        return clampMaxDepth(parseIntegerParam(text) ?? (text.startsWith('-') ? -Infinity : Infinity));
      }, integer()),
      { description: 'Nesting to expand: default 3, clamped to 1..5; not an integer → 400' },
    ),
    answer: (raw = '') =>
      new ApiError('INVALID_REQUEST', `Query parameter 'max_depth' must be an integer, got '${raw.slice(0, 100)}'`, { field: 'max_depth' }),
  } satisfies Parameter;
}

export function statusParameter() {
  return {
    schema: described(z.optional(z.enum(['success', 'failed'])), { description: 'Only this outcome' }),
    answer: (raw = '') =>
      new ApiError('INVALID_REQUEST', `Query parameter 'status' must be 'success' or 'failed', got '${excerpt(raw)}'`, { field: 'status' }),
  } satisfies Parameter;
}

export function variableNameFilterParameter() {
  return {
    schema: described(z.optional(variableName), { description: 'Only this root variable' }),
    answer: (raw = '') => new ApiError('INVALID_VARIABLE_NAME', `Invalid variable name '${excerpt(raw)}'`, { field: 'variable_name' }),
  } satisfies Parameter;
}

/** `q` of search: trimmed; blank or over 100 code points is 400 (code points, so the schema cannot say it with max()). */
export function searchQueryParameter() {
  return {
    schema: described(
      preprocess(
        (raw) => {
          const checked = checkSearchQuery(asString(raw));
          return checked.ok ? checked.trimmed : raw;
        },
        documented(z.string().check(z.refine((query) => checkSearchQuery(query).ok)), { minLength: 1, maxLength: 100 }),
      ),
      { description: 'What was typed (1..100 code points after trimming)' },
    ),
    answer: (raw) => {
      const checked = checkSearchQuery(raw);
      const tooLong = !checked.ok && checked.reason === 'too_long';
      const message = tooLong ? "Query parameter 'q' is longer than 100 characters" : "Query parameter 'q' must not be blank";
      return new ApiError('INVALID_REQUEST', message, { field: 'q' });
    },
  } satisfies Parameter;
}

// ---- Headers --------------------------------------------------------------------------------------

export function acceptLanguageParameter() {
  return {
    schema: described(z.optional(z.string()), {
      description: 'en (default) or zh, zh-CN, …: the language of user_message, suggestions and validation texts',
    }),
  } satisfies Parameter;
}

/** `If-Match`: a bare or quoted integer version (API.md §5); a quote must be closed (`"1` is no version). */
const IF_MATCH = /^\s*(?:(?:W\/)?"(\d{1,15})"|(\d{1,15}))\s*$/;

export function ifMatchParameter() {
  return {
    schema: described(
      z.pipe(
        z.optional(z.string().check(z.regex(IF_MATCH))),
        z.transform((header: string | undefined) => {
          if (header === undefined) return undefined;
          const match = IF_MATCH.exec(header) as RegExpExecArray;
          return Number(match[1] ?? match[2]);
        }),
      ),
      { description: 'Write only if the stored version is this one (a bare or quoted integer); 412 otherwise' },
    ),
    answer: (raw = '') => new ApiError('INVALID_REQUEST', `If-Match '${excerpt(raw)}' is not a version number`, { field: 'If-Match' }),
  } satisfies Parameter;
}

/** 1..255 printable ASCII characters, space included. */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

export function idempotencyKeyParameter() {
  return {
    schema: described(z.optional(z.string().check(z.minLength(1), z.maxLength(255), z.regex(IDEMPOTENCY_KEY))), {
      description: 'A repeat within an hour with the same body gets the first 2xx answer and writes nothing (1..255 printable ASCII)',
    }),
    answer: () =>
      new ApiError('INVALID_REQUEST', 'Idempotency-Key must be 1 to 255 printable ASCII characters', { field: 'Idempotency-Key' }),
  } satisfies Parameter;
}

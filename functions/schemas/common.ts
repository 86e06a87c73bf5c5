/** Schemas several others are made of: any JSON value, a data type, an integer, a step index, a variable name. */
import * as z from 'zod/mini';
import { MAX_STEP_INDEX, VARIABLE_NAME_PATTERN, MAX_VARIABLE_NAME_LENGTH } from '#domain/identifiers';
import type { JsonValue } from '#domain/json';
import { component, described } from '#schemas/registry';

/**
 * Any JSON value, `null` included; the body was already parsed from JSON, so only presence is checked here (a
 * full walk would cost a 1 MiB value dearly).
 */
export const jsonValue = described(
  z.custom<JsonValue>((value) => value !== undefined, { message: 'is required' }),
  { description: 'Any JSON value' },
);

/** The JSON type of a value, as the answers name it. */
export const dataType = component('DataType', z.enum(['string', 'number', 'boolean', 'object', 'array', 'null']));

/** An integer in a documented answer (as classic zod's `z.number().int()`). */
export const integer = () => z.number().check(z.int());

const STEP_INDEX_RULE = `must be an integer from 0 to ${MAX_STEP_INDEX}`;
export const stepIndex = described(
  z
    .number({ error: STEP_INDEX_RULE })
    .check(z.int({ error: STEP_INDEX_RULE }), z.gte(0, { error: STEP_INDEX_RULE }), z.lte(MAX_STEP_INDEX, { error: STEP_INDEX_RULE })),
  { description: 'Step number, 0..100000' },
);

export const variableName = described(
  z.string().check(z.minLength(1), z.maxLength(MAX_VARIABLE_NAME_LENGTH), z.regex(VARIABLE_NAME_PATTERN)),
  { description: 'Variable name' },
);

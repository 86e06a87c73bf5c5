/** Identifier rules of API.md §1 and §3. */
export const EXECUTION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_VARIABLE_NAME_LENGTH = 255;
export const MAX_STEP_INDEX = 100_000;

export function isExecutionId(value: unknown): value is string {
  return typeof value === 'string' && EXECUTION_ID_PATTERN.test(value);
}

export function isVariableName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_VARIABLE_NAME_LENGTH && VARIABLE_NAME_PATTERN.test(value);
}

export function isStepIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_STEP_INDEX;
}

/** A query-string integer: digits only (an optional minus), no spaces, no decimals. */
export function parseIntegerParam(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^-?\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** API.md §2: when present, only the string `true` in any letter case means true. */
export function parseBooleanFlag(raw: string | undefined, fallback: boolean): boolean {
  return raw === undefined ? fallback : raw.toLowerCase() === 'true';
}

import { ApiError, excerpt } from '#domain/errors';
import { isStepIndex, parseIntegerParam } from '#domain/identifiers';

/** `limit`: a positive integer, clamped to the maximum; anything else is 400 (API.md §5). */
export function limitParam(raw: string | undefined, fallback: number, maximum: number): number {
  if (raw === undefined) return fallback;
  const value = parseIntegerParam(raw);
  if (value === undefined || value < 1) {
    if (/^\d+$/.test(raw) && raw.replace(/^0+/, '').length > 0) return maximum; // a huge integer is still an integer: clamp it
    throw new ApiError('INVALID_REQUEST', `Query parameter 'limit' must be a positive integer, got '${excerpt(raw)}'`, { field: 'limit' });
  }
  return Math.min(value, maximum);
}

/** `step_index` where it must be an integer: anything else is 400. */
export function stepIndexParam(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = parseIntegerParam(raw);
  if (value === undefined)
    throw new ApiError('INVALID_REQUEST', `Query parameter 'step_index' must be an integer, got '${excerpt(raw)}'`, {
      field: 'step_index',
    });
  if (!isStepIndex(value))
    throw new ApiError('INVALID_STEP_INDEX', `Query parameter 'step_index' must be 0..100000, got '${excerpt(raw)}'`, {
      field: 'step_index',
    });
  return value;
}

/**
 * The editor's loose `step_index` (suggestions only; search follows the strict rule): not an
 * integer means absent. So does an integer beyond 2^53, which no JSON number could echo exactly.
 */
export function looseStepIndexParam(raw: string | undefined): number | undefined {
  return parseIntegerParam(raw);
}

/** The one error shape of API.md §2, with codes and error types as enums from the error catalog. */
import * as z from 'zod/mini';
import { ERROR_CATALOG, type ErrorCode } from '#domain/errors';
import { component, described } from '#schemas/registry';

const ERROR_CODES = Object.keys(ERROR_CATALOG) as [ErrorCode, ...ErrorCode[]];
const ERROR_TYPES = [...new Set(Object.values(ERROR_CATALOG).map((entry) => entry.errorType))] as [string, ...string[]];

const errorCode = component('ErrorCode', z.enum(ERROR_CODES), 'Stable machine code (API.md §2)');

function errorShape(code: z.ZodMiniType, errorTypes: readonly string[] = ERROR_TYPES) {
  return z.strictObject({
    success: z.literal(false),
    error: z.strictObject({
      code,
      error_type: z.enum(errorTypes as [string, ...string[]]),
      message: described(z.string(), { description: 'English; names the offending token' }),
      details: z.record(z.string(), z.unknown()),
      request_id: z.string(),
      timestamp: described(z.string(), { description: 'ISO-8601 UTC with milliseconds' }),
    }),
    user_message: described(z.string(), { description: 'For people, in the Accept-Language language' }),
    suggestions: z.array(z.string()),
  });
}

export const errorBody = component('Error', errorShape(errorCode), 'Every error answer (API.md §2)');

/** The error shape restricted to the codes one route documents for one status (for checking real answers). */
export function errorBodyWith(codes: readonly ErrorCode[]) {
  return errorShape(z.enum(codes as [ErrorCode, ...ErrorCode[]]), errorTypesOf(codes));
}

/** The error_type values these codes come with (API.md §2's table). */
export function errorTypesOf(codes: readonly ErrorCode[]): string[] {
  return [...new Set(codes.map((code) => ERROR_CATALOG[code].errorType))];
}

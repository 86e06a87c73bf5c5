/**
 * Stands in for @aws-lambda-powertools/jmespath (and its `/functions`) inside the bundles.
 * Contract: the service's idempotency configuration (functions/adapters/idempotency-gate.ts) uses
 * only single-field expressions (`scope`, `body`) on a plain object, and registers no custom
 * functions. For such an expression JMESPath answers the field's value, or null when the data is
 * not an object or has no such field; that is all this module does. Any other expression throws.
 */
import { unusedPart } from './unused';

const SINGLE_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function search(expression: string, data: unknown): unknown {
  if (!SINGLE_FIELD.test(expression))
    throw unusedPart(`JMESPath expression '${expression}'`, 'the idempotency configuration uses single-field expressions only');
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  return Object.hasOwn(data, expression) ? ((data as Record<string, unknown>)[expression] ?? null) : null;
}

/** Powertools builds one as the default `customFunctions`; this service calls none of them. */
export class PowertoolsFunctions {}

/**
 * The path, query and header parameter sets several entries share. Each set is made by a function,
 * as each parameter is (functions/schemas/parameters.ts): a bundle builds only the sets its entry uses.
 */
import {
  acceptLanguageParameter,
  executionIdParameter,
  idempotencyKeyParameter,
  ifMatchParameter,
  parameterSet,
  variableNameParameter,
} from '#schemas/parameters';

export const executionPath = () => parameterSet({ execution_id: executionIdParameter() });
export const variablePath = () => parameterSet({ execution_id: executionIdParameter(), variable_name: variableNameParameter() });

export const readHeaders = () => parameterSet({ 'Accept-Language': acceptLanguageParameter() });
export const writeHeaders = () =>
  parameterSet({
    'Accept-Language': acceptLanguageParameter(),
    'If-Match': ifMatchParameter(),
    'Idempotency-Key': idempotencyKeyParameter(),
  });

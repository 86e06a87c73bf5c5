import type { RouteAddress } from '#functions/routes/addresses';
import { route, READ_ERRORS, type ok } from '#functions/routes/contract';
import { executionPath, readHeaders } from '#functions/routes/parameter-sets';
import { flagParameter, looseLimitParameter, looseStepIndexParameter, parameterSet } from '#schemas/parameters';

/** The suggestions and its twin for the original editor: the same request, each its own answer form. */
export function suggestionsRoute<A extends ReturnType<typeof ok>>(
  address: RouteAddress & { method: 'GET' },
  handler: string,
  operation: string,
  summary: string,
  answer: A,
) {
  return route({
    ...address,
    handler,
    operation,
    summary,
    authenticated: true,
    memoryMb: 1024,
    request: {
      path: executionPath(),
      query: parameterSet({
        step_index: looseStepIndexParameter(),
        include_properties: flagParameter(true, 'Top-level properties of objects and arrays (default true)'),
        limit: looseLimitParameter(),
      }),
      headers: readHeaders(),
    },
    responses: { 200: answer },
    errors: READ_ERRORS,
  });
}

/** GET …/variables/{variable_name}/properties and its twin on the original editor's path (one handler serves both). */
import { ADDRESS, type RouteAddress } from '#functions/routes/addresses';
import { ok, route, READ_ERRORS } from '#functions/routes/contract';
import { readHeaders } from '#functions/routes/parameter-sets';
import { variableProperties } from '#schemas/hints';
import { executionIdParameter, maxDepthParameter, nameOrPathParameter, parameterSet } from '#schemas/parameters';

/** The properties route and its twin for the original editor: the same request and answer on two paths. */
function propertiesRoute(address: RouteAddress & { method: 'GET' }, handler: string, operation: string, summary: string) {
  return route({
    ...address,
    handler,
    operation,
    summary,
    authenticated: true,
    request: {
      path: parameterSet({ execution_id: executionIdParameter(), variable_name: nameOrPathParameter() }),
      query: parameterSet({ max_depth: maxDepthParameter() }),
      headers: readHeaders(),
    },
    responses: { 200: ok('Properties of the value at the name or path', variableProperties) },
    errors: [...READ_ERRORS, 'INVALID_REQUEST', 'INVALID_VARIABLE_NAME', 'VARIABLE_NOT_FOUND', 'PROPERTY_NOT_FOUND'],
  });
}

export const GetProperties = propertiesRoute(
  ADDRESS.GetProperties,
  'hints/get-properties',
  'GetProperties',
  'Properties of a variable or of the value at a reference path',
);

export const GetPropertiesCompat = propertiesRoute(
  ADDRESS.GetPropertiesCompat,
  'hints/get-properties-compat',
  'GetPropertiesCompat',
  'GetProperties for the original step editor',
);

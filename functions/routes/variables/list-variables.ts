import { ADDRESS } from '#functions/routes/addresses';
import { ok, route, READ_ERRORS } from '#functions/routes/contract';
import { executionPath, readHeaders } from '#functions/routes/parameter-sets';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '#services/variables';
import { cursorParameter, flagParameter, limitParameter, parameterSet } from '#schemas/parameters';
import { variableListing } from '#schemas/variables';

export const ListVariables = route({
  ...ADDRESS.ListVariables,
  handler: 'variables/list-variables',
  operation: 'ListVariables',
  summary: 'List variables in step order, a page at a time',
  authenticated: true,
  memoryMb: 1024,
  request: {
    path: executionPath(),
    headers: readHeaders(),
    query: parameterSet({
      limit: limitParameter(LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, 'Page size, default 100; above 1000 is clamped'),
      cursor: cursorParameter(),
      include_values: flagParameter(false, 'Add each value (a page also ends after 4 MiB of values)'),
    }),
  },
  responses: { 200: ok('One page', variableListing) },
  errors: [...READ_ERRORS, 'INVALID_REQUEST'],
});

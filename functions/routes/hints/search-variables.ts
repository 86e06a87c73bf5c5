import { ADDRESS } from '#functions/routes/addresses';
import { ok, route, READ_ERRORS } from '#functions/routes/contract';
import { executionPath, readHeaders } from '#functions/routes/parameter-sets';
import { SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from '#domain/hints/search';
import { searchResult } from '#schemas/search';
import { limitParameter, parameterSet, searchQueryParameter, stepIndexParameter } from '#schemas/parameters';

export const SearchVariables = route({
  ...ADDRESS.SearchVariables,
  handler: 'hints/search-variables',
  operation: 'SearchVariables',
  summary: 'Fuzzy search of variable names',
  authenticated: true,
  memoryMb: 1024,
  request: {
    path: executionPath(),
    headers: readHeaders(),
    query: parameterSet({
      q: searchQueryParameter(),
      limit: limitParameter(SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT, 'Default 10; above 50 is clamped'),
      step_index: stepIndexParameter('Only variables from earlier steps'),
    }),
  },
  responses: { 200: ok('Matches, best first', searchResult) },
  errors: [...READ_ERRORS, 'INVALID_REQUEST', 'INVALID_STEP_INDEX'],
});

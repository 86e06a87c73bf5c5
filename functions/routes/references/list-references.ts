import { ADDRESS } from '#functions/routes/addresses';
import { ok, route, READ_ERRORS } from '#functions/routes/contract';
import { executionPath, readHeaders } from '#functions/routes/parameter-sets';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '#services/variables';
import {
  cursorParameter,
  limitParameter,
  parameterSet,
  statusParameter,
  stepIndexParameter,
  variableNameFilterParameter,
} from '#schemas/parameters';
import { referenceListing } from '#schemas/references';

export const ListReferences = route({
  ...ADDRESS.ListReferences,
  handler: 'references/list-references',
  operation: 'ListReferences',
  summary: 'Lineage records, a page at a time',
  authenticated: true,
  request: {
    path: executionPath(),
    headers: readHeaders(),
    query: parameterSet(
      {
        step_index: stepIndexParameter('Only this step'),
        status: statusParameter(),
        variable_name: variableNameFilterParameter(),
        limit: limitParameter(LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, 'Page size, default 100; above 1000 is clamped'),
        cursor: cursorParameter(),
      },
      // The order these have always been checked in: the first failing one is the answer.
      ['limit', 'step_index', 'status', 'variable_name'],
    ),
  },
  responses: { 200: ok('One page', referenceListing) },
  errors: [...READ_ERRORS, 'INVALID_REQUEST', 'INVALID_STEP_INDEX', 'INVALID_VARIABLE_NAME'],
});

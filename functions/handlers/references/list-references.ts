import { ApiError, excerpt } from '#domain/errors';
import { isVariableName } from '#domain/identifiers';
import { apiHandler } from '#middleware/api-handler';
import { references } from '#functions/composition/references';
import { limitParam, stepIndexParam } from '#middleware/query';
import { json } from '#middleware/responses';

export const handler = apiHandler(
  'ListReferences',
  async (request, deps) => {
    const { query } = request;
    const limit = limitParam(query.limit, 100, 1000);
    const stepIndex = stepIndexParam(query.step_index);
    const status = query.status;
    if (status !== undefined && status !== 'success' && status !== 'failed') {
      throw new ApiError('INVALID_REQUEST', `Query parameter 'status' must be 'success' or 'failed', got '${excerpt(status)}'`, {
        field: 'status',
      });
    }
    const variableName = query.variable_name;
    if (variableName !== undefined && !isVariableName(variableName)) {
      throw new ApiError('INVALID_VARIABLE_NAME', `Invalid variable name '${excerpt(variableName)}'`, { field: 'variable_name' });
    }
    const page = await deps.references.page(
      request.executionId,
      { stepIndex, status, variableName },
      limit,
      query.cursor,
      request.language,
    );
    return json(200, {
      execution_id: request.executionId,
      references: page.records,
      count: page.records.length,
      next_cursor: page.nextCursor,
    });
  },
  { dependencies: references },
);

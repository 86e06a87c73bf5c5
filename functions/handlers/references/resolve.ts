import { ApiError } from '#domain/errors';
import * as ROUTE from '#functions/routes/references/resolve';
import { apiHandler } from '#middleware/api-handler';
import { references } from '#functions/composition/references';
import { respond } from '#middleware/route-response';

const route = ROUTE.Resolve;

export const handler = apiHandler(
  route,
  async ({ path, body, language }, deps) => {
    const { body: result, failed } = await deps.references.resolve(path.execution_id, body, language);
    if (body.strict && failed.length > 0) {
      throw new ApiError(
        'UNRESOLVED_REFERENCES',
        `${failed.length} reference(s) could not be resolved, first '${failed[0].original_expression}'`,
        { failed_references: failed },
      );
    }
    return respond(route, 200, result);
  },
  { dependencies: references },
);

import * as ROUTE from '#functions/routes/references/validate-references';
import { apiHandler } from '#middleware/api-handler';
import { references } from '#functions/composition/references';
import { respond } from '#middleware/route-response';

const route = ROUTE.ValidateReferences;

export const handler = apiHandler(
  route,
  async ({ path, body, language }, deps) => {
    const results = await deps.references.validate(path.execution_id, body.references, body.step_index, language);
    return respond(route, 200, { validation_results: results });
  },
  { dependencies: references },
);

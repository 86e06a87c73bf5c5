import * as ROUTE from '#functions/routes/executions/get-execution';
import { apiHandler } from '#middleware/api-handler';
import { executionReads } from '#functions/composition/execution-reads';
import { respond } from '#middleware/route-response';

const route = ROUTE.GetExecution;

export const handler = apiHandler(
  route,
  async (input, deps) => respond(route, 200, await deps.executions.summary(input.path.execution_id)),
  { dependencies: executionReads },
);

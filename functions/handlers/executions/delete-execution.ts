import * as ROUTE from '#functions/routes/executions/delete-execution';
import { apiHandler } from '#middleware/api-handler';
import { executions } from '#functions/composition/executions';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { respond, respondEmpty } from '#middleware/route-response';

/** The share of the request budget spent purging inline before the rest is left to the background (API.md §5: 204 or 202). */
const INLINE_PURGE_SHARE = 0.25;
const INLINE_PURGE_MAX_MS = 2000;

const route = ROUTE.DeleteExecution;

export const handler = apiHandler(
  route,
  async (input, deps) =>
    onceForIdempotencyKey(input, deps, async () => {
      const executionId = input.path.execution_id;
      const inlineMs = Math.min(INLINE_PURGE_MAX_MS, deps.settings.requestBudgetMs * INLINE_PURGE_SHARE);
      const outcome = await deps.executions.delete(executionId, inlineMs);
      return outcome === 'deleted' ? respondEmpty(route, 204) : respond(route, 202, { execution_id: executionId, status: 'deleting' });
    }),
  { dependencies: executions },
);

import { apiHandler } from '#middleware/api-handler';
import { executions } from '#functions/composition/executions';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { json, noContent } from '#middleware/responses';

/** The share of the request budget spent purging inline before the rest is left to the background (API.md §5: 204 or 202). */
const INLINE_PURGE_SHARE = 0.25;
const INLINE_PURGE_MAX_MS = 2000;

export const handler = apiHandler(
  'DeleteExecution',
  async (request, deps) =>
    onceForIdempotencyKey(request, deps, async () => {
      const inlineMs = Math.min(INLINE_PURGE_MAX_MS, deps.settings.requestBudgetMs * INLINE_PURGE_SHARE);
      const outcome = await deps.executions.delete(request.executionId, inlineMs);
      return outcome === 'deleted' ? noContent() : json(202, { execution_id: request.executionId, status: 'deleting' });
    }),
  { dependencies: executions },
);

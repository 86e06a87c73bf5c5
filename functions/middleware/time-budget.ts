import type { Context } from 'aws-lambda';
import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import { ApiError } from '#domain/errors';
import { runWithBudgetSignal } from '#services/request-budget-signal';

/** Time kept back from the Lambda deadline to write the 504 itself. */
const DEADLINE_MARGIN_MS = 500;

/** The configured budget, cut to what the Lambda deadline leaves. */
export function effectiveBudget(budgetMs: number, context: Context): number {
  const remaining =
    typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS : budgetMs;
  return Math.max(100, Math.min(budgetMs, remaining));
}

/**
 * The request's time budget: below the Lambda timeout, so a stuck dependency gives the client a
 * 504 in the error shape rather than a bare gateway timeout.
 */
export async function withinBudget<T>(budgetMs: number, context: Context, work: () => Promise<T>): Promise<T> {
  const budget = effectiveBudget(budgetMs, context);
  try {
    return await timeout(budget, TimeoutStrategy.Aggressive).execute(({ signal }) => runWithBudgetSignal(signal, work));
  } catch (error) {
    if (error instanceof TaskCancelledError)
      throw new ApiError('TIMEOUT', `The request did not finish within its ${budget} ms budget`, { budget_ms: budget });
    throw error;
  }
}

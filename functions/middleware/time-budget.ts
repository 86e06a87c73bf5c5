import type { Context } from 'aws-lambda';
import { TaskCancelledError, type TimeoutPolicy, TimeoutStrategy, timeout } from 'cockatiel';
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

/** The last budget's policy: in Lambda the budget is the same on almost every request. */
let lastPolicy: { budget: number; policy: TimeoutPolicy } | undefined;

function timeoutPolicy(budget: number): TimeoutPolicy {
  if (lastPolicy?.budget !== budget) {
    // abortOnReturn off: aborting on every normal return builds a DOMException per request (see the scope below).
    lastPolicy = { budget, policy: timeout(budget, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }) };
  }
  return lastPolicy.policy;
}

/**
 * The request's time budget (whole ms, already cut to the Lambda deadline by effectiveBudget): below
 * the Lambda timeout, so a stuck dependency gives the client a 504 in the error shape rather than a
 * bare gateway timeout.
 * The budget signal adapters see aborts when the request ends in an error or past its budget, so
 * no database attempt of it starts after its answer (a batch's other lanes, say). A request that
 * succeeded has no attempt left to stop, and its signal is left alone.
 */
export async function withinBudget<T>(budget: number, work: () => Promise<T>): Promise<T> {
  const scope = new AbortController();
  try {
    return await timeoutPolicy(budget).execute(() => runWithBudgetSignal(scope.signal, work));
  } catch (error) {
    scope.abort();
    if (error instanceof TaskCancelledError)
      throw new ApiError('TIMEOUT', `The request did not finish within its ${budget} ms budget`, { budget_ms: budget });
    throw error;
  }
}

import { type BulkheadPolicy, BulkheadRejectedError, bulkhead } from 'cockatiel';
import { ApiError, RETRY_AFTER_SECONDS } from '#domain/errors';

/**
 * The per-instance concurrency limit of API.md §8, stated up front:
 * - at most `limit` requests run at once (a cockatiel bulkhead);
 * - more wait in its queue, first come first served, but only while they can still start within
 *   their budget: a request that has waited `maxWaitMs` (its budget less the time kept to run) is
 *   answered 503 OVERLOADED + Retry-After at once, and its queue entry is skipped when reached;
 * - a queue longer than `queueLimit` turns new arrivals away at once (memory stays bounded);
 * - the work is given the budget that is left after the wait, so waiting never extends a request
 *   past its budget.
 * In Lambda an instance serves one request at a time and this never queues; the local server's
 * workers take many at once, and this is what keeps a burst from starving everyone.
 */
export class ConcurrencyLimit {
  private readonly policy: BulkheadPolicy;

  constructor(
    readonly limit: number,
    private readonly queueLimit = limit * 16,
  ) {
    this.policy = bulkhead(limit, queueLimit);
  }

  get running(): number {
    return this.limit - this.policy.executionSlots;
  }

  get queued(): number {
    return this.queueLimit - this.policy.queueSlots;
  }

  /** Runs `work` with the budget left once it may start; 503 OVERLOADED when it cannot start within `budgetMs`. */
  async run<T>(budgetMs: number, work: (remainingBudgetMs: number) => Promise<T>): Promise<T> {
    const arrivedAt = performance.now();
    // What a request needs to do anything useful once started; waiting longer would only produce a 504.
    const maxWaitMs = budgetMs - Math.min(2000, budgetMs / 4);
    let began = false;
    let givenUp = false;
    let timer: NodeJS.Timeout | undefined;
    const outcome = this.policy
      .execute(async () => {
        // Its caller was answered 503 already: the slot is handed on at once.
        if (givenUp) return undefined as T;
        began = true;
        clearTimeout(timer);
        // Whole milliseconds: the time budget keeps one timeout policy per budget value.
        return work(Math.floor(budgetMs - (performance.now() - arrivedAt)));
      })
      .catch((error: unknown) => {
        if (error instanceof BulkheadRejectedError) throw overloaded('the queue is full');
        throw error;
      });
    if (began) return outcome;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          givenUp = true;
          reject(overloaded(`no request slot became free within ${Math.round(maxWaitMs)} ms`));
        },
        Math.max(0, maxWaitMs),
      );
    });
    // A rejection of the loser (the queue-full error, say) is already answered by the winner.
    outcome.catch(() => undefined);
    gaveUp.catch(() => undefined);
    return Promise.race([outcome, gaveUp]).finally(() => clearTimeout(timer));
  }
}

function overloaded(reason: string): ApiError {
  const error = new ApiError(
    'OVERLOADED',
    'This instance cannot start the request within its budget; retry shortly',
    {},
    { 'Retry-After': RETRY_AFTER_SECONDS },
  );
  error.internalReason = reason;
  return error;
}

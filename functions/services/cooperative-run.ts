/**
 * Helper of the use cases that run CPU-bound domain work. Primary course:
 *  1. run the work's steps for about SLICE_MS;
 *  2. give the event loop a turn;
 *  3. stop with 504 TIMEOUT when the request's budget (or the caller's own deadline) ran out, else go on.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { budgetSignal } from '#services/request-budget-signal';
import type { Steps } from '#domain/cooperative';
import { ApiError } from '#domain/errors';

/** Longest stretch of domain work between two turns of the event loop. */
export const SLICE_MS = 10;

/**
 * Drives pausable domain work (domain/cooperative.ts) so that one request's CPU-bound loop never
 * holds the event loop for more than about SLICE_MS: after each slice it lets the event loop run
 * (I/O, timers, other requests), then stops with 504 TIMEOUT if the request's budget ran out
 * (the budget's abort signal, see middleware/time-budget.ts) or `stop` was aborted by a caller's
 * own deadline. Work stopped this way returns nothing, so nothing is stored after it.
 */
export async function runCooperatively<T>(steps: Steps<T>, stop?: AbortSignal): Promise<T> {
  const budget = budgetSignal();
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    // After every step: one step may be large (copying a 1 MiB value), and the clock is cheap.
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await nextTurn();
    if (budget?.aborted || stop?.aborted) {
      steps.return(undefined as T);
      throw new ApiError('TIMEOUT', 'The request did not finish within its time budget', {});
    }
    sliceStart = performance.now();
  }
}

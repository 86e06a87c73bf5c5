import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The current request's budget signal: aborted once the request has answered 504 TIMEOUT or an
 * error (middleware/time-budget.ts sets it). Adapters and cooperative loops read it without
 * threading it through every call: once a request has answered, its remaining database attempts
 * must not run (a retried write landing after the client gave up could overwrite a later
 * acknowledged one).
 *
 * How "the current request" is found depends on the process:
 * - `concurrent` (the local server, tests; the default): requests overlap, so each runs in an
 *   AsyncLocalStorage scope. That costs async hooks on every promise (≈ 2.7 % of a request's CPU
 *   in --cpu-prof).
 * - `one-at-a-time` (a Lambda instance: ONE_REQUEST_AT_A_TIME, set by the stack): a plain variable
 *   holds the signal of the request this process runs, or ran last. Work a request leaves behind
 *   (a batch's other lanes after an error, an attempt still waiting after a 504, resumed when the
 *   instance thaws for the next request) has no scope of its own and reads that variable: it is
 *   the signal of the request that left it, aborted, as long as no other request has started. So
 *   when a request starts while the last one's signal is aborted, the process turns `concurrent`
 *   for good: the new request gets its own scope, and the left-behind work — outside any scope —
 *   keeps seeing the aborted signal. An instance that answers only successes never pays the hooks.
 */
export type RequestScopeMode = 'concurrent' | 'one-at-a-time';

/** The request's signal; `null` marks work that runs outside any request (outsideRequestScope). */
const scoped = new AsyncLocalStorage<AbortSignal | null>();
let mode: RequestScopeMode = 'concurrent';
/** one-at-a-time: the signal of the request running now or last; outside any scope, the work it left behind reads it. */
let lastSignal: AbortSignal | undefined;

/** Chosen once by the composition root from the settings (tests may switch back and forth: it forgets the last request). */
export function useRequestScope(next: RequestScopeMode): void {
  mode = next;
  lastSignal = undefined;
}

export function requestScopeMode(): RequestScopeMode {
  return mode;
}

export function runWithBudgetSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (mode === 'one-at-a-time') {
    if (!lastSignal?.aborted) {
      lastSignal = signal;
      return work();
    }
    // The last request ended in an error or a 504 and what it left behind may still run: from now on each request is scoped.
    mode = 'concurrent';
  }
  return scoped.run(signal, work);
}

/** The budget signal of the request this code runs for; undefined outside a request. */
export function budgetSignal(): AbortSignal | undefined {
  const store = scoped.getStore();
  return store === undefined ? lastSignal : (store ?? undefined);
}

export class RequestBudgetExpiredError extends Error {
  constructor() {
    super('the request budget expired before this database attempt');
    this.name = 'RequestBudgetExpiredError';
  }
}

/** Work that outlives the request (a background purge) runs outside its scope: the request's budget must not cut it off. */
export function outsideRequestScope<T>(work: () => T): T {
  // Background work overlaps the requests that follow: the plain variable can no longer tell them apart.
  mode = 'concurrent';
  return scoped.run(null, work);
}

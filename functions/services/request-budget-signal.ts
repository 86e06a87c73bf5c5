import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The current request's budget signal: aborted once the request has answered 504 TIMEOUT
 * (middleware/time-budget.ts sets it). Adapters and cooperative loops read it without threading it
 * through every call: once a request has answered, its remaining database attempts must not run (a
 * retried write landing after the client gave up could overwrite a later acknowledged one).
 */
const currentRequest = new AsyncLocalStorage<AbortSignal>();

export function runWithBudgetSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return currentRequest.run(signal, work);
}

/** The budget signal of the request this code runs for; undefined outside a request. */
export function budgetSignal(): AbortSignal | undefined {
  return currentRequest.getStore();
}

export class RequestBudgetExpiredError extends Error {
  constructor() {
    super('the request budget expired before this database attempt');
    this.name = 'RequestBudgetExpiredError';
  }
}

/** Work that outlives the request (a background purge) runs outside its scope: the request's budget must not cut it off. */
export function outsideRequestScope<T>(work: () => T): T {
  return currentRequest.exit(work);
}

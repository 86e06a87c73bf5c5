import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The current request's budget signal, visible to adapters without threading it through every
 * call: once a request has answered 504, its remaining database attempts must not run (a retried
 * write landing after the client gave up could overwrite a later acknowledged one).
 */
const scope = new AsyncLocalStorage<AbortSignal>();

export function runWithBudgetSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return scope.run(signal, work);
}

export function budgetSignal(): AbortSignal | undefined {
  return scope.getStore();
}

export class RequestBudgetExpiredError extends Error {
  constructor() {
    super('the request budget expired before this database attempt');
    this.name = 'RequestBudgetExpiredError';
  }
}

/** Work that outlives the request (a background purge) runs outside its scope: the request's budget must not cut it off. */
export function outsideRequestScope<T>(work: () => T): T {
  return scope.exit(work);
}

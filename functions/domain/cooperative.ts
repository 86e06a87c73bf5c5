/**
 * CPU-bound domain work as pausable steps. A long loop (resolving 1,000 references, scoring 10,000
 * names) is written as a generator that `yield`s between units of work; it does nothing else there.
 * The caller decides what a pause means: the services let the event loop run other requests and
 * check the request's deadline (services/cooperative-run.ts); pure callers and tests run the steps
 * straight through. So the domain keeps no timers, clocks or I/O, and stays synchronous.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once: the plain synchronous result. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * The composition root's two tools. Each route's function builds only what its route uses; inside
 * one process (a Lambda instance, or a local worker that serves every route) the parts they have
 * in common — the settings, the DynamoDB client and breaker, the cache, the limits — exist once.
 *
 * Per route (functions/composition/<file>):
 *   variable-reads   GET and list of variables           store, cache, limits
 *   variable-writes  PUT, POST, DELETE of variables      store, idempotency, limits (no cache, no purge queue)
 *   references       resolve, validate, list lineage     store, cache, lineage records, limits
 *   hints            suggestions, properties, search     store, cache, limits
 *   execution-reads  GET of an execution                 store, cache, lineage records, limits
 *   executions       DELETE of an execution; the purge function   + eraser, purge queue (SQS), idempotency
 *   health           health                              store ping; this process's cache if any, else its own Redis PING; no limits
 *   openapi          the OpenAPI document                settings and the concurrency limit only
 * Shared parts: settings, database, lineage, cache (and in-process-cache, what health reads of it), snapshots,
 * concurrency, rate-limiter, idempotency, purges, http.
 */

/** A part made on first use and then shared by every composition of this process. */
export function shared<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

/** What a handler module is given: its dependencies, and the test seam to put others in their place. */
export class Composition<T> {
  private built: T | undefined;
  private replacement: T | undefined;

  constructor(private readonly build: () => T) {}

  get(): T {
    if (this.replacement !== undefined) return this.replacement;
    this.built ??= this.build();
    return this.built;
  }

  /** In-process tests put in-memory ports in place; `undefined` restores the real ones. */
  use(replacement: T | undefined): void {
    this.replacement = replacement;
  }
}

import type { IdempotencyGate } from '#adapters/idempotency-gate';
import type { Context } from 'aws-lambda';
import type { ApiResponse } from '#middleware/responses';

/** What a write's key is scoped by (the route's parsed input has it). */
export interface IdempotentRequest {
  method: string;
  rawPath: string;
  headers: { 'Idempotency-Key'?: string };
  /** The JSON body as sent: a repeat must send the same. */
  rawBody: unknown;
  context: Context;
}

/**
 * Runs a write once per `Idempotency-Key` (API.md §2). The key is scoped to the method and the
 * path, which names the execution; without the header the write simply runs.
 */
export async function onceForIdempotencyKey<T extends ApiResponse>(
  request: IdempotentRequest,
  deps: { idempotency: Pick<IdempotencyGate, 'run'> },
  write: () => Promise<T>,
): Promise<T> {
  const key = request.headers['Idempotency-Key'];
  // The route entry's header schema has already refused a malformed key (schemas/parameters.ts).
  if (key === undefined) return write();
  const remembered = await deps.idempotency.run(`${request.method} ${request.rawPath} ${key}`, request.rawBody, request.context, write);
  // The first answer of this very write, replayed.
  return { statusCode: remembered.statusCode, headers: { ...remembered.headers }, body: remembered.body } as T;
}

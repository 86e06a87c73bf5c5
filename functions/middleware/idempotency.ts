import type { IdempotencyGate } from '#adapters/idempotency-gate';
import { ApiError } from '#domain/errors';
import type { ApiRequest } from '#middleware/request';
import type { ApiResponse } from '#middleware/responses';

/** 1..255 printable ASCII characters, space included. */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * Runs a write once per `Idempotency-Key` (API.md §2). The key is scoped to the method and the
 * path, which names the execution; without the header the write simply runs.
 */
export async function onceForIdempotencyKey(
  request: ApiRequest,
  deps: { idempotency: Pick<IdempotencyGate, 'run'> },
  write: () => Promise<ApiResponse>,
): Promise<ApiResponse> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return write();
  if (!KEY_PATTERN.test(key)) {
    throw new ApiError('INVALID_REQUEST', 'Idempotency-Key must be 1 to 255 printable ASCII characters', { field: 'Idempotency-Key' });
  }
  const remembered = await deps.idempotency.run(`${request.method} ${request.path} ${key}`, request.body, request.context, write);
  return { statusCode: remembered.statusCode, headers: { ...remembered.headers }, body: remembered.body };
}

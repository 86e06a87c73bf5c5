import { ApiError, excerpt } from '#domain/errors';

/**
 * The one cursor codec of every listing (GET /variables, GET /variable-references): an opaque
 * base64url text of `[execution id, ...position]`. A cursor names its execution: one handed to
 * another execution's listing is refused (400), not read as a position there. What a position
 * holds is the listing's own business; it checks the shape with `readPosition`.
 */
export function encodeCursor(executionId: string, position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([executionId, ...position]), 'utf8').toString('base64url');
}

/**
 * The position a cursor holds, when it was made for this execution and `accept` takes it;
 * anything else is 400 INVALID_REQUEST naming the cursor.
 */
export function decodeCursor<Position>(
  executionId: string,
  cursor: string,
  accept: (position: unknown[]) => Position | undefined,
): Position {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(cursor);
  }
  if (!Array.isArray(decoded) || decoded[0] !== executionId) throw invalidCursor(cursor);
  const position = accept(decoded.slice(1));
  if (position === undefined) throw invalidCursor(cursor);
  return position;
}

function invalidCursor(cursor: string): ApiError {
  return new ApiError('INVALID_REQUEST', `Invalid cursor '${excerpt(cursor)}'`, { field: 'cursor' });
}

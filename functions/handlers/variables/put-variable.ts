import { ApiError } from '#domain/errors';
import { apiHandler } from '#middleware/api-handler';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { json } from '#middleware/responses';
import { checkPutBody } from '#services/write-validation';

/** `If-Match`: a bare or quoted integer version. */
function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new ApiError('INVALID_REQUEST', `If-Match '${header}' is not a version number`, { field: 'If-Match' });
  return Number(match[1]);
}

export const handler = apiHandler('StoreVariable', async (request, deps) => {
  const name = request.pathParameters.variable_name;
  const write = checkPutBody(request.body, name);
  const ifMatch = expectedVersion(request.headers['if-match']);
  return onceForIdempotencyKey(request, deps, async () => {
    const { metadata, created } = await deps.variables.put(request.executionId, write, ifMatch);
    return json(created ? 201 : 200, metadata, { ETag: `"${metadata.version}"` });
  });
});

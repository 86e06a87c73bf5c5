import { ApiError } from '#domain/errors';
import { apiHandler } from '#middleware/api-handler';
import { variableWrites } from '#functions/composition/variable-writes';
import { onceForIdempotencyKey } from '#middleware/idempotency';
import { expectedVersion } from '#middleware/if-match';
import { json } from '#middleware/responses';
import { checkNamedWrite, type WriteProblem } from '#services/write-validation';
import type { VariableWrite } from '#domain/variable';
import { MAX_BATCH_VARIABLES as MAX_BATCH } from '#schemas/variables';

/** A batch is validated whole before anything is written: one bad item and nothing is stored. */
function checkBatch(items: unknown[]): VariableWrite[] {
  const problems: Array<WriteProblem & { index: number }> = [];
  const writes: VariableWrite[] = [];
  const firstIndexOf = new Map<string, number>();
  items.forEach((item, index) => {
    const checked = checkNamedWrite(item);
    if (!checked.ok) {
      problems.push({ index, ...checked.problem });
      return;
    }
    const seenAt = firstIndexOf.get(checked.write.variable_name);
    if (seenAt !== undefined) {
      problems.push({
        index,
        code: 'INVALID_REQUEST',
        field: 'variable_name',
        message: `Variable '${checked.write.variable_name}' appears twice in the batch (items ${seenAt} and ${index})`,
      });
      return;
    }
    firstIndexOf.set(checked.write.variable_name, index);
    writes.push(checked.write);
  });
  if (problems.length > 0) {
    throw new ApiError('INVALID_REQUEST', `${problems.length} of ${items.length} batch items are invalid; nothing was stored`, {
      items: problems.map(({ index, code, message, field }) => ({ index, code, message, field })),
    });
  }
  return writes;
}

export const handler = apiHandler(
  'StoreVariables',
  async (request, deps) => {
    const body = request.body;
    if (body === undefined) throw new ApiError('INVALID_REQUEST', 'A JSON request body is required', { field: 'body' });
    if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'variables' in body) {
      const items = (body as { variables: unknown }).variables;
      if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH) {
        throw new ApiError('INVALID_REQUEST', `Field 'variables' must be an array of 1 to ${MAX_BATCH} variables`, { field: 'variables' });
      }
      if (request.headers['if-match'] !== undefined) {
        // A precondition on a batch names no variable; ignoring it would write unconditionally.
        throw new ApiError('INVALID_REQUEST', 'If-Match applies to one variable: send it with PUT or a single-variable POST, not a batch', {
          field: 'If-Match',
        });
      }
      const writes = checkBatch(items);
      return onceForIdempotencyKey(request, deps, async () => {
        const results = await deps.variables.putMany(request.executionId, writes);
        return json(200, { results, count: results.length });
      });
    }
    const checked = checkNamedWrite(body);
    if (!checked.ok) throw new ApiError(checked.problem.code, checked.problem.message, { field: checked.problem.field });
    // A single variable is stored "as PUT", If-Match included.
    const ifMatch = expectedVersion(request.headers['if-match']);
    return onceForIdempotencyKey(request, deps, async () => {
      const { metadata, created } = await deps.variables.put(request.executionId, checked.write, ifMatch);
      return json(created ? 201 : 200, metadata, { ETag: `"${metadata.version}"` });
    });
  },
  { dependencies: variableWrites },
);

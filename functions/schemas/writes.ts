/**
 * The bodies of the two write routes, parsed into what the variables service stores:
 * PUT …/variables/{name} is one write named by the path; POST …/variables is one named write or
 * a batch of 1 to 100. Shape errors come from the zod schemas (first problem wins), the value rules
 * (depth, size) from the domain; a batch is checked whole and reports every bad item by index.
 */
import * as z from 'zod/mini';
import { ApiError } from '#domain/errors';
import { isJsonObject, type JsonObject } from '#domain/json';
import type { VariableWrite } from '#domain/variable';
import { writeRuleProblem, type WriteProblem } from '#domain/write-rules';
import { bodyRequired, checkBody, problemError } from '#schemas/body';
import { jsonValue, stepIndex, variableName } from '#schemas/common';
import { component, described } from '#schemas/registry';

const writeFields = {
  value: jsonValue,
  source_step_index: stepIndex,
  source_api_method: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  // z.custom, not z.record: a record schema rebuilds the object, losing key order and `__proto__` keys.
  source_api_params: described(
    z.optional(z.nullable(described(z.custom<JsonObject>(isJsonObject, { message: 'must be a JSON object' }), { type: 'object' }))),
    { description: 'Params of the step that produced the value (a JSON object)' },
  ),
  sensitive: described(z.optional(z.boolean()), { description: 'Mask the value everywhere but GET …/variables/{name} and resolve' }),
};

export const putVariableBody = component('PutVariableRequest', z.object(writeFields));
const namedVariableBody = component('NamedVariableRequest', z.object({ variable_name: variableName, ...writeFields }));
/** How many variables one batch POST may store (API.md §5). */
const MAX_BATCH_VARIABLES = 100;

/** Items are checked one by one (each problem is reported with its index), so the array itself takes anything. */
const batchVariablesBody = component(
  'VariableBatchRequest',
  z.object({
    variables: described(z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BATCH_VARIABLES)), {
      items: { $ref: '#/components/schemas/NamedVariableRequest' },
      description: '1 to 100 variables, each as NamedVariableRequest',
    }),
  }),
);
export const storeVariablesBody = z.union([namedVariableBody, batchVariablesBody]);

type Checked = { ok: true; write: VariableWrite } | { ok: false; problem: WriteProblem };

function completed(variableName: string, body: z.output<typeof putVariableBody>): Checked {
  const write: VariableWrite = {
    variable_name: variableName,
    value: body.value,
    source_step_index: body.source_step_index,
    source_api_method: body.source_api_method ?? null,
    source_api_params: body.source_api_params ?? null,
    sensitive: body.sensitive ?? false,
  };
  const problem = writeRuleProblem(write);
  return problem ? { ok: false, problem } : { ok: true, write };
}

/** One write; `pathName` is the PUT's name from the path (a POST item names itself). */
function checkWrite(input: unknown, pathName?: string): Checked {
  if (!isJsonObject(input)) {
    return { ok: false, problem: { code: 'INVALID_REQUEST', field: 'body', message: 'A variable must be a JSON object' } };
  }
  if (pathName !== undefined) {
    const checked = checkBody(putVariableBody, input);
    return checked.ok ? completed(pathName, checked.data) : checked;
  }
  const checked = checkBody(namedVariableBody, input);
  return checked.ok ? completed(checked.data.variable_name, checked.data) : checked;
}

/** The body of PUT …/variables/{variable_name}. */
export function parsePutBody(body: unknown, variableName: string): VariableWrite {
  if (body === undefined) throw bodyRequired();
  const checked = checkWrite(body, variableName);
  if (!checked.ok) throw problemError(checked.problem);
  return checked.write;
}

/** A batch is validated whole before anything is written: one bad item and nothing is stored. */
function checkBatch(items: unknown[]): VariableWrite[] {
  const problems: Array<WriteProblem & { index: number }> = [];
  const writes: VariableWrite[] = [];
  const firstIndexOf = new Map<string, number>();
  items.forEach((item, index) => {
    const checked = checkWrite(item);
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

type StoreVariablesInput = { kind: 'batch'; writes: VariableWrite[] } | { kind: 'single'; write: VariableWrite };

/**
 * The body of POST …/variables. `ifMatchSent`: a precondition on a batch names no variable (ignoring
 * it would write unconditionally), so a batch with If-Match is refused before its items are read.
 */
export function parseStoreVariablesBody(body: unknown, ifMatchSent: boolean): StoreVariablesInput {
  if (body === undefined) throw bodyRequired();
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'variables' in body) {
    const items = body.variables;
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_VARIABLES) {
      throw new ApiError('INVALID_REQUEST', `Field 'variables' must be an array of 1 to ${MAX_BATCH_VARIABLES} variables`, {
        field: 'variables',
      });
    }
    if (ifMatchSent) {
      throw new ApiError('INVALID_REQUEST', 'If-Match applies to one variable: send it with PUT or a single-variable POST, not a batch', {
        field: 'If-Match',
      });
    }
    return { kind: 'batch', writes: checkBatch(items) };
  }
  const checked = checkWrite(body);
  if (!checked.ok) throw problemError(checked.problem);
  return { kind: 'single', write: checked.write };
}

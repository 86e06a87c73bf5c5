/**
 * Use cases: storing, reading, listing and deleting variables (API.md §5 "Variables").
 * Primary course:
 *  1. put / putMany: store the write(s) (If-Match checked by the store: 412 VERSION_MISMATCH), then
 *     advance the execution's data epoch, so the next read on any instance sees them;
 *  2. get: the variable through the snapshot reader (404 VARIABLE_NOT_FOUND when absent);
 *  3. list: read the snapshot, start after the cursor's place (400 for a cursor of another
 *     execution), cut the page by limit and by the 4 MiB value / 512 KiB preview budgets, fetch
 *     large values eight at a time (masked ones are their mask), and hand back the next cursor;
 *  4. delete: remove it (404 when absent, 412 on a stale If-Match), then advance the data epoch.
 */
import { bulkhead } from 'cockatiel';
import { jsonStringBytes, PAGE_BUDGET_BYTES } from '#domain/output-budget';
import { decodeCursor, encodeCursor } from '#domain/cursor';
import { variableNotFound } from '#domain/errors';
import type { JsonValue } from '#domain/json';
import {
  compareListOrder,
  toMetadata,
  type StoredVariable,
  type VariableHead,
  type VariableMetadata,
  type VariableWrite,
} from '#domain/variable';
import { MASKED_PROPERTY_VALUE } from '#domain/hints/properties';
import type { SnapshotReader } from '#services/snapshot-reader';
import type { PutResult, VariableStore } from '#services/ports';

export const LIST_DEFAULT_LIMIT = 100;
export const LIST_MAX_LIMIT = 1000;
const BATCH_WRITE_LANES = 16;
/** Chunked values a listing page fetches at once. */
const PAYLOAD_LANES = 8;
/** A page with values ends once this many bytes of values are on it (always at least one item). */
export const LIST_VALUES_BUDGET_BYTES = PAGE_BUDGET_BYTES;
/**
 * A page also ends once this many bytes of previews are on it: an object's preview quotes its first
 * three keys, which may be long, so 1,000 previews could otherwise make an answer of hundreds of MiB.
 * 4 MiB of values + 512 KiB of previews + 1,000 items' metadata stay under the 5 MiB answer limit.
 */
export const LIST_PREVIEWS_BUDGET_BYTES = 512 * 1024;

const MASKED_VALUE_BYTES = Buffer.byteLength(JSON.stringify(MASKED_PROPERTY_VALUE), 'utf8');

/** A listing's item: the metadata and preview, and the value (its mask when sensitive) only with include_values. */
export type ListedVariable = VariableMetadata & { preview_value: string; value?: JsonValue };

export interface VariablePage {
  variables: ListedVariable[];
  nextCursor: string | null;
}

type CursorKey = Pick<VariableMetadata, 'source_step_index' | 'updated_at' | 'variable_name'>;

/** A page's cursor holds the last head's place in list order (domain/cursor.ts). */
function cursorAfter(executionId: string, head: VariableHead): string {
  return encodeCursor(executionId, [head.source_step_index, head.updated_at, head.variable_name]);
}

function cursorKey(executionId: string, cursor: string): CursorKey {
  return decodeCursor(executionId, cursor, ([step, updated, name, ...rest]) =>
    Number.isInteger(step) && typeof updated === 'string' && typeof name === 'string' && rest.length === 0
      ? { source_step_index: step as number, updated_at: updated, variable_name: name }
      : undefined,
  );
}

/** Index of the first head strictly after the cursor's position in list order (binary search: pages stay cheap at 10,000 variables). */
function positionAfter(heads: readonly VariableHead[], key: CursorKey): number {
  let low = 0;
  let high = heads.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareListOrder(heads[middle], key as VariableMetadata) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The variable use cases. Every write stores first and then advances the execution's data epoch,
 * which is what makes a read on any instance see it (see SnapshotReader).
 */
export class VariableService {
  constructor(
    private readonly store: VariableStore,
    private readonly snapshots: SnapshotReader,
  ) {}

  async put(executionId: string, write: VariableWrite, expectedVersion?: number): Promise<PutResult> {
    const result = await this.store.putVariable(executionId, write, { expectedVersion, now: new Date().toISOString() });
    await this.store.advanceDataEpoch(executionId);
    return result;
  }

  async putMany(executionId: string, writes: VariableWrite[]): Promise<VariableMetadata[]> {
    const now = new Date().toISOString();
    // A batch of 100 at once would be a burst of 100 parallel writes per request; a bulkhead keeps it steady.
    const lanes = bulkhead(BATCH_WRITE_LANES, writes.length);
    const results = await Promise.all(writes.map((write) => lanes.execute(() => this.store.putVariable(executionId, write, { now }))));
    await this.store.advanceDataEpoch(executionId);
    return results.map((result) => result.metadata);
  }

  async get(executionId: string, name: string): Promise<StoredVariable> {
    const variable = await this.snapshots.variable(executionId, name);
    if (!variable) throw variableNotFound(executionId, name);
    return variable;
  }

  async list(executionId: string, options: { limit: number; cursor?: string; includeValues: boolean }): Promise<VariablePage> {
    const start = options.cursor ? cursorKey(executionId, options.cursor) : undefined;
    const snapshot = await this.snapshots.snapshot(executionId);
    const heads = snapshot.heads;
    const from = start ? positionAfter(heads, start) : 0;
    // The page is cut from the heads alone (sizes are known); values are then fetched side by side.
    const onPage: VariableHead[] = [];
    let valueBytes = 0;
    let previewBytes = 0;
    let index = from;
    for (; index < heads.length && onPage.length < options.limit; index += 1) {
      const head = heads[index];
      // The budget counts what can be large on the page: each preview (an object's preview quotes
      // its first three keys, and a key may be long) and, with values, each value — a masked
      // value is its mask, not the secret's size. So a page stays under the 5 MiB answer limit.
      const valueShown = options.includeValues ? (head.sensitive ? MASKED_VALUE_BYTES : head.size_bytes) : 0;
      const previewShown = jsonStringBytes(head.preview_value);
      if (
        onPage.length > 0 &&
        (valueBytes + valueShown > LIST_VALUES_BUDGET_BYTES || previewBytes + previewShown > LIST_PREVIEWS_BUDGET_BYTES)
      )
        break;
      valueBytes += valueShown;
      previewBytes += previewShown;
      onPage.push(head);
    }
    const lanes = bulkhead(PAYLOAD_LANES, onPage.length);
    const page = await Promise.all(
      onPage.map(async (head): Promise<ListedVariable> => {
        const item: ListedVariable = { ...toMetadata(head), preview_value: head.preview_value };
        if (options.includeValues) {
          item.value = head.sensitive
            ? MASKED_PROPERTY_VALUE
            : (head.payload ?? (await lanes.execute(() => this.snapshots.payload(executionId, head)))).value;
        }
        return item;
      }),
    );
    return { variables: page, nextCursor: index < heads.length && page.length > 0 ? cursorAfter(executionId, heads[index - 1]) : null };
  }

  async delete(executionId: string, name: string, expectedVersion?: number): Promise<void> {
    const existed = await this.store.deleteVariable(executionId, name, expectedVersion);
    if (!existed) throw variableNotFound(executionId, name);
    await this.store.advanceDataEpoch(executionId);
  }
}

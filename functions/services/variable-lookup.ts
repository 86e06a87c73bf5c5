/**
 * Helper of the reference use cases. Primary course:
 *  1. collect the root names the references in a request read (string leaves only, never keys);
 *  2. load the large values among them, side by side;
 *  3. answer the domain evaluator's synchronous lookups from the snapshot and those values.
 */
import { bulkhead } from 'cockatiel';
import { isJsonObject, type JsonValue } from '#domain/json';
import { parseReferencePath, scanReferences, type VariableEntry, type VariableLookup } from '#domain/references/index';
import type { ExecutionSnapshot } from '#domain/execution-snapshot';
import type { SnapshotReader } from '#services/snapshot-reader';

/** Large values read at once for one request's lookups (as the list's payload lanes). */
const PAYLOAD_LANES = 8;

/** Root variable names that the references inside these strings read. */
export function referencedRoots(strings: Iterable<string>): Set<string> {
  const roots = new Set<string>();
  for (const text of strings) {
    if (!text.includes('${')) continue;
    for (const reference of scanReferences(text)) {
      const path = parseReferencePath(reference.content);
      if (path.ok) roots.add(path.root);
    }
  }
  return roots;
}

/** Every string leaf of a JSON value (keys are never resolved, so they are not collected). */
export function* stringLeaves(value: JsonValue): Generator<string> {
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node === 'string') yield node;
    // One push per child: spreading a 130,000-element array would overflow the call stack.
    else if (Array.isArray(node)) for (const item of node) stack.push(item);
    else if (isJsonObject(node)) for (const child of Object.values(node)) stack.push(child);
  }
}

/**
 * A synchronous lookup over a snapshot for the domain's evaluator. Large values live outside the
 * snapshot, so those the references actually read are loaded first.
 */
export async function lookupFor(snapshot: ExecutionSnapshot, snapshots: SnapshotReader, roots: Iterable<string>): Promise<VariableLookup> {
  const loaded = new Map<string, JsonValue>();
  const large = [...roots].flatMap((name) => {
    const head = snapshot.get(name);
    return head && !head.payload ? [{ name, head }] : [];
  });
  // A resolve may name 1,000 roots: their payloads load a few at a time, not all at once (API.md §8).
  const lanes = bulkhead(PAYLOAD_LANES, large.length);
  await Promise.all(
    large.map(({ name, head }) =>
      lanes.execute(async () => {
        loaded.set(name, (await snapshots.payload(snapshot.executionId, head)).value);
      }),
    ),
  );
  return (name: string): VariableEntry | undefined => {
    const head = snapshot.get(name);
    if (!head) return undefined;
    const value = head.payload ? head.payload.value : loaded.get(name);
    if (value === undefined) return undefined;
    return { value, sensitive: head.sensitive, source_step_index: head.source_step_index };
  };
}

import { write } from '../../support/variable-write';
import { createDependencies, type Dependencies } from '../../support/wired-dependencies';
import { ExecutionGenerations } from '#adapters/dynamo/generations';
import { MAX_VALUE_BYTES } from '#domain/json';
import { createDynamoClients } from '#adapters/dynamo/client';
import { DatabaseBreaker } from '#adapters/dynamo/database-breaker';
import { DynamoVariableStore } from '#adapters/dynamo/variable-store';
import { startTestDatabase, type TestDatabase } from '../../support/dynalite';

let database: TestDatabase;
let deps: Dependencies;

beforeAll(async () => {
  database = await startTestDatabase();
  deps = createDependencies(database.settings);
});
afterAll(() => database.close());

const now = () => new Date().toISOString();

describe('DynamoVariableStore against dynalite', () => {
  it('creates at version 1, overwrites with version 2 and keeps created_at', async () => {
    const first = await deps.variableStore.putVariable('store-1', write('a', { x: 1 }), { now: '2026-01-01T00:00:00.000Z' });
    const second = await deps.variableStore.putVariable('store-1', write('a', [1, 2]), { now: '2026-01-02T00:00:00.000Z' });
    expect(first).toMatchObject({ created: true, metadata: { version: 1, created_at: '2026-01-01T00:00:00.000Z' } });
    expect(second).toMatchObject({
      created: false,
      metadata: { version: 2, data_type: 'array', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z' },
    });
    expect((await deps.variableStore.getVariable('store-1', 'a'))?.value).toEqual([1, 2]);
  });

  it('round-trips a value larger than one DynamoDB item byte for byte', async () => {
    const text = 'é'.repeat((MAX_VALUE_BYTES - 2) / 2); // JSON = quotes + 2-byte chars = exactly 1 MiB
    await deps.variableStore.putVariable('store-2', write('big', text, 1, { source_api_params: { p: 'x'.repeat(1000) } }), { now: now() });
    const read = await deps.variableStore.getVariable('store-2', 'big');
    expect(read?.value).toBe(text);
    expect(read?.size_bytes).toBe(MAX_VALUE_BYTES);
    expect(read?.source_api_params).toEqual({ p: 'x'.repeat(1000) });
  });

  it('replaces a chunked value by an inline one and back without mixing payloads', async () => {
    await deps.variableStore.putVariable('store-3', write('v', 'a'.repeat(500_000)), { now: now() });
    await deps.variableStore.putVariable('store-3', write('v', 'small'), { now: now() });
    expect((await deps.variableStore.getVariable('store-3', 'v'))?.value).toBe('small');
    await deps.variableStore.putVariable('store-3', write('v', 'b'.repeat(400_000)), { now: now() });
    expect((await deps.variableStore.getVariable('store-3', 'v'))?.value).toBe('b'.repeat(400_000));
  });

  it('refuses a write whose If-Match version differs and stores nothing', async () => {
    await deps.variableStore.putVariable('store-4', write('v', 1), { now: now() });
    await expect(deps.variableStore.putVariable('store-4', write('v', 2), { now: now(), expectedVersion: 7 })).rejects.toMatchObject({
      code: 'VERSION_MISMATCH',
    });
    expect((await deps.variableStore.getVariable('store-4', 'v'))?.value).toBe(1);
    await expect(deps.variableStore.putVariable('store-4', write('v', 3), { now: now(), expectedVersion: 1 })).resolves.toMatchObject({
      metadata: { version: 2 },
    });
  });

  it('keeps names like constructor and __proto__ as plain data', async () => {
    await deps.variableStore.putVariable('store-5', write('constructor', { __proto__: 1 } as never), { now: now() });
    await deps.variableStore.putVariable('store-5', write('__proto__', 'p'), { now: now() });
    const heads = await deps.variableStore.listHeads('store-5');
    expect(heads.map((head) => head.variable_name).sort()).toEqual(['__proto__', 'constructor']);
    expect(await deps.variableStore.getVariable('store-5', 'toString')).toBeUndefined();
  });

  it('moves the data epoch on every advance and on an execution delete, which empties it at once and for later writes', async () => {
    expect(await deps.variableStore.readDataEpoch('store-6')).toBeNull();
    const first = await deps.variableStore.advanceDataEpoch('store-6');
    await deps.variableStore.putVariable('store-6', write('v', 1), { now: now() });
    const retired = await deps.eraser.retire('store-6');
    expect(await deps.variableStore.listHeads('store-6')).toEqual([]);
    const afterDelete = await deps.variableStore.readDataEpoch('store-6');
    expect(afterDelete).not.toBe(first);
    const rewritten = await deps.variableStore.putVariable('store-6', write('v', 2), { now: now() });
    expect(rewritten).toMatchObject({ created: true, metadata: { version: 1 } });
    // The purge of the retired data never touches the write made after the delete.
    expect(await deps.eraser.purge(retired, Date.now() + 5000)).toBe(true);
    expect((await deps.variableStore.getVariable('store-6', 'v'))?.value).toBe(2);
    expect(await deps.eraser.pending()).not.toContainEqual(expect.objectContaining({ executionId: 'store-6' }));
    const second = await deps.variableStore.advanceDataEpoch('store-6');
    expect(second).not.toBe(afterDelete);
  });

  it('reports whether a delete removed anything', async () => {
    await deps.variableStore.putVariable('store-7', write('v', 1), { now: now() });
    expect(await deps.variableStore.deleteVariable('store-7', 'v')).toBe(true);
    expect(await deps.variableStore.deleteVariable('store-7', 'v')).toBe(false);
  });
});

/**
 * Under load an attempt can be applied by the database and still time out in the client; the SDK
 * then sends it again. This store's client lets the first attempt of each matching command reach
 * dynalite and then reports a timeout, exactly what the SDK's retry sees in that case.
 */
function storeWhoseFirstAttemptTimesOut(command: 'UpdateItem' | 'DeleteItem'): DynamoVariableStore {
  const { client, documentClient } = createDynamoClients(database.settings, { onRetries: () => undefined });
  // The retry loop hands every attempt of one call the same context.
  const timedOutOnce = new WeakSet<object>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === `${command}Command` && !timedOutOnce.has(context)) {
        timedOutOnce.add(context);
        throw Object.assign(new Error('the answer did not arrive in time'), { name: 'TimeoutError' });
      }
      return result;
    },
    { step: 'deserialize', name: 'loseFirstAnswer' },
  );
  const breaker = new DatabaseBreaker({ onStateChange: () => undefined, onThrottle: () => undefined });
  const generations = new ExecutionGenerations(
    documentClient,
    breaker,
    database.settings.variablesTable,
    database.settings.referencesTable,
    3600,
  );
  return new DynamoVariableStore(documentClient, breaker, database.settings.variablesTable, 3600, generations);
}

describe('a write whose first attempt was applied but timed out', () => {
  it('creates once: the retry does not bump the version again', async () => {
    const store = storeWhoseFirstAttemptTimesOut('UpdateItem');
    const created = await store.putVariable('retry-1', write('v', { a: 1 }), { now: '2026-01-01T00:00:00.000Z' });
    expect(created).toMatchObject({ created: true, metadata: { version: 1, created_at: '2026-01-01T00:00:00.000Z' } });
    const overwritten = await store.putVariable('retry-1', write('v', 'big'.repeat(40_000)), { now: '2026-01-02T00:00:00.000Z' });
    expect(overwritten).toMatchObject({
      created: false,
      metadata: { version: 2, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z' },
    });
    const read = await deps.variableStore.getVariable('retry-1', 'v');
    expect({ version: read?.version, value: read?.value }).toEqual({ version: 2, value: 'big'.repeat(40_000) });
  });

  it('with If-Match, the retry of the applied attempt is not a version mismatch', async () => {
    await deps.variableStore.putVariable('retry-2', write('v', 1), { now: now() });
    const store = storeWhoseFirstAttemptTimesOut('UpdateItem');
    await expect(store.putVariable('retry-2', write('v', 2), { now: now(), expectedVersion: 1 })).resolves.toMatchObject({
      created: false,
      metadata: { version: 2 },
    });
    await expect(store.putVariable('retry-2', write('v', 3), { now: now(), expectedVersion: 1 })).rejects.toMatchObject({
      code: 'VERSION_MISMATCH',
    });
    expect((await deps.variableStore.getVariable('retry-2', 'v'))?.value).toBe(2);
  });

  it('a delete whose first attempt removed the variable still reports it removed', async () => {
    await deps.variableStore.putVariable('retry-3', write('v', 1), { now: now() });
    const store = storeWhoseFirstAttemptTimesOut('DeleteItem');
    expect(await store.deleteVariable('retry-3', 'v')).toBe(true);
    expect(await deps.variableStore.getVariable('retry-3', 'v')).toBeUndefined();
    await deps.variableStore.putVariable('retry-3', write('w', 1), { now: now() });
    expect(await store.deleteVariable('retry-3', 'w', 1)).toBe(true);
    expect(await deps.variableStore.getVariable('retry-3', 'w')).toBeUndefined();
  });
});

describe('SnapshotReader coherence', () => {
  it('serves a write to the next read even when another instance cached the old snapshot', async () => {
    const other = createDependencies(database.settings);
    await deps.variables.put('coherent', write('v', 1));
    expect((await other.variables.get('coherent', 'v')).value).toBe(1);
    expect((await other.variables.list('coherent', { limit: 10, includeValues: true })).variables[0].value).toBe(1);
    await deps.variables.put('coherent', write('v', 2));
    expect((await other.variables.get('coherent', 'v')).value).toBe(2);
    expect((await other.variables.list('coherent', { limit: 10, includeValues: true })).variables[0].value).toBe(2);
  });
});

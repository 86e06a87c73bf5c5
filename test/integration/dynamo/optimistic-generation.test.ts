import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { MiddlewareStack } from '@smithy/types';
import type { ApiError } from '#domain/errors';
import { runWithBudgetSignal } from '#services/request-budget-signal';
import { write } from '../../support/variable-write';
import { createDependencies, type Dependencies } from '../../support/wired-dependencies';
import { createDynamoClients } from '#adapters/dynamo/client';
import { partitionOf } from '#adapters/dynamo/generations';
import { startTestDatabase, type TestDatabase } from '../../support/dynalite';

/**
 * A PUT writes into the generation its instance last saw without reading it (generations.ts) and
 * its data-version bump confirms it. Two instances over one database: one deletes the execution,
 * the other — still holding the old generation — writes; the write must land in the new
 * generation, nothing it wrote may stay in the retired partition, and If-Match must be judged
 * against the new generation.
 */
let database: TestDatabase;
let a: Dependencies;
let b: Dependencies;

beforeAll(async () => {
  database = await startTestDatabase();
  a = createDependencies(database.settings);
  b = createDependencies(database.settings);
});
afterAll(() => database.close());

/** As a request does it: under its own budget signal (the per-request memory of generations). */
const inRequest = <T>(work: () => Promise<T>): Promise<T> => runWithBudgetSignal(new AbortController().signal, work);

async function headsIn(partition: string): Promise<string[]> {
  const { documentClient } = createDynamoClients(database.settings, { onRetries: () => undefined });
  const { Items } = await documentClient.send(
    new QueryCommand({
      TableName: database.settings.variablesTable,
      KeyConditionExpression: 'execution_id = :p',
      ExpressionAttributeValues: { ':p': partition },
      ConsistentRead: true,
    }),
  );
  documentClient.destroy();
  return (Items ?? []).map((item) => String(item.sk)).filter((sk) => !sk.startsWith('#'));
}

it('a PUT after another instance deleted the execution lands in the new generation, none of it in the retired one', async () => {
  const id = 'opt-gen-1';
  await inRequest(() => a.variables.put(id, write('before', 1)));
  await inRequest(() => a.variables.put(id, write('before', 2)));
  await inRequest(() => b.eraser.retire(id));

  const stored = await inRequest(() => a.variables.put(id, write('after', { x: 1 })));
  expect(stored).toMatchObject({ created: true, metadata: { variable_name: 'after', version: 1 } });

  const seenByB = await inRequest(() => b.variables.list(id, { limit: 10, includeValues: true }));
  expect(seenByB.variables.map((v) => [v.variable_name, v.value])).toEqual([['after', { x: 1 }]]);
  expect((await headsIn(partitionOf(id, 0))).some((sk) => sk.includes('after'))).toBe(false);
  expect((await headsIn(partitionOf(id, 1))).some((sk) => sk.includes('after'))).toBe(true);
});

it('a batch into a stale generation is written again, whole, into the new one', async () => {
  const id = 'opt-gen-2';
  await inRequest(() => a.variables.put(id, write('seed', 0)));
  await inRequest(() => b.eraser.retire(id));
  const batch = Array.from({ length: 12 }, (_, i) => write(`v_${i}`, i));
  const metadata = await inRequest(() => a.variables.putMany(id, batch));
  expect(metadata.map((m) => m.version)).toEqual(batch.map(() => 1));
  const page = await inRequest(() => b.variables.list(id, { limit: 50, includeValues: false }));
  expect(page.variables.map((v) => v.variable_name).sort()).toEqual(batch.map((w) => w.variable_name).sort());
  // Only what was there before the delete (the purge, not run here, removes it): nothing of the batch.
  expect(await headsIn(partitionOf(id, 0))).toEqual(['V#seed']);
});

it('If-Match is judged against the new generation, whichever way the stale one would have answered', async () => {
  const id = 'opt-gen-3';
  // The old generation has `v` at version 2; after the delete, B writes `v` again (version 1).
  await inRequest(() => a.variables.put(id, write('v', 'old')));
  await inRequest(() => a.variables.put(id, write('v', 'old again')));
  await inRequest(() => b.eraser.retire(id));
  await inRequest(() => b.variables.put(id, write('v', 'new')));

  // Version 1 matches the new generation only: stored as version 2 there.
  const stored = await inRequest(() => a.variables.put(id, write('v', 'A wrote'), 1));
  expect(stored.metadata.version).toBe(2);
  expect((await inRequest(() => b.variables.get(id, 'v'))).value).toBe('A wrote');

  // Delete again: `v` is at version 2 in the generation A may still assume, absent in the new one.
  await inRequest(() => b.eraser.retire(id));
  await expect(inRequest(() => a.variables.put(id, write('v', 'lost'), 2))).rejects.toMatchObject({
    code: 'VERSION_MISMATCH',
  } satisfies Partial<ApiError>);
  await expect(inRequest(() => b.variables.get(id, 'v'))).rejects.toMatchObject({ code: 'VARIABLE_NOT_FOUND' });
});

it('a PUT into an execution its instance has seen reads nothing first: one head write and the bump', async () => {
  const c = createDependencies(database.settings);
  const commands: string[] = [];
  // Before any call: with cacheMiddleware the stack is resolved once per command class.
  (c.variableStore as unknown as { client: { middlewareStack: MiddlewareStack<object, object> } }).client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push((context as { commandName: string }).commandName);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  await inRequest(() => c.variables.put('opt-gen-4', write('v', 1)));
  expect(commands).toEqual(['GetItemCommand', 'UpdateItemCommand', 'UpdateItemCommand']);
  commands.length = 0;
  await inRequest(() => c.variables.put('opt-gen-4', write('v', 2)));
  expect(commands).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
});

it('a batch lane still in flight while another lane settled is written again into the new generation before the bump', async () => {
  const id = 'opt-gen-5';
  const c = createDependencies(database.settings);
  let armed = false;
  let releaseY = (): void => undefined;
  const yMayGo = new Promise<void>((resolve) => {
    releaseY = resolve;
  });
  // x's head write is refused once (as an SDK retry meeting its own rev would be) and so finds the execution moved;
  // y's head write, already on its way into the retired partition, is held until x has been written again in the new one.
  (c.variableStore as unknown as { client: { middlewareStack: MiddlewareStack<object, object> } }).client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = (args as { input: { Key?: Record<string, unknown> } }).input;
      const text = (attribute: unknown) => (typeof attribute === 'string' ? attribute : (attribute as { S?: string } | undefined)?.S);
      const sk = text(input.Key?.sk);
      const partition = text(input.Key?.execution_id);
      if (!armed || (context as { commandName: string }).commandName !== 'UpdateItemCommand') return next(args);
      if (sk === 'V#x' && partition === partitionOf(id, 0))
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      if (sk === 'V#y' && partition === partitionOf(id, 0)) await yMayGo;
      const result = await next(args);
      if (sk === 'V#x' && partition === partitionOf(id, 1)) releaseY();
      return result;
    },
    { step: 'initialize', name: 'heldLanes' },
  );
  await inRequest(() => c.variables.put(id, write('seed', 0)));
  await inRequest(() => b.eraser.retire(id));
  armed = true;

  const metadata = await inRequest(() => c.variables.putMany(id, [write('x', 1), write('y', 2)]));
  expect(metadata.map((m) => [m.variable_name, m.version])).toEqual([
    ['x', 1],
    ['y', 1],
  ]);
  const page = await inRequest(() => b.variables.list(id, { limit: 10, includeValues: true }));
  expect(page.variables.map((v) => [v.variable_name, v.value])).toEqual([
    ['x', 1],
    ['y', 2],
  ]);
  expect(await headsIn(partitionOf(id, 0))).toEqual(['V#seed']);
});

it('a DELETE trusts the generation its instance last saw, and one seen before another instance deleted costs a read', async () => {
  const id = 'opt-gen-6';
  const d = createDependencies(database.settings);
  const commands: string[] = [];
  (d.variableStore as unknown as { client: { middlewareStack: MiddlewareStack<object, object> } }).client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push((context as { commandName: string }).commandName);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  await inRequest(() => d.variables.put(id, write('v', 1)));
  commands.length = 0;
  expect(await inRequest(() => d.eraser.retire(id))).toEqual({ executionId: id, generations: [0] });
  expect(commands).toEqual(['UpdateItemCommand', 'PutItemCommand']);

  // b deletes too; d still believes in generation 1: refused once, then read, then retired.
  await inRequest(() => b.eraser.retire(id));
  commands.length = 0;
  expect(await inRequest(() => d.eraser.retire(id))).toEqual({ executionId: id, generations: [0, 1, 2] });
  expect(commands).toEqual(['UpdateItemCommand', 'GetItemCommand', 'UpdateItemCommand', 'PutItemCommand']);
  await inRequest(() => d.variables.put(id, write('after', 1)));
  const page = await inRequest(() => b.variables.list(id, { limit: 10, includeValues: false }));
  expect(page.variables.map((v) => v.variable_name)).toEqual(['after']);
});

/** A promise and the function that settles it: holds one lane until another has got somewhere. */
function gate(): { passed: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const passed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { passed, open };
}

type Hold = (
  call: { command: string; sk: string | undefined; partition: string | undefined },
  next: () => Promise<unknown>,
) => Promise<unknown>;

/** An instance whose DynamoDB calls pass through `hold` once armed (added before its first call: the stack is resolved once). */
function instanceWithHeldCalls(hold: Hold): { deps: Dependencies; arm: () => void } {
  const deps = createDependencies(database.settings);
  let armed = false;
  const text = (attribute: unknown) => (typeof attribute === 'string' ? attribute : (attribute as { S?: string } | undefined)?.S);
  (deps.variableStore as unknown as { client: { middlewareStack: MiddlewareStack<object, object> } }).client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!armed) return next(args);
      const key = (args as { input: { Key?: Record<string, unknown> } }).input.Key;
      const call = { command: (context as { commandName: string }).commandName, sk: text(key?.sk), partition: text(key?.execution_id) };
      return hold(call, () => next(args)) as never;
    },
    { step: 'initialize', name: 'heldCalls' },
  );
  return { deps, arm: () => (armed = true) };
}

const refused = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

it('a rewrite that lands in a generation retired again while other rewrites settled is made once more before the bump', async () => {
  const id = 'opt-gen-7';
  const [g0, g1, g2] = [0, 1, 2].map((g) => partitionOf(id, g));
  const yAndWMayGo = gate();
  const wMayGo = gate();
  let xRefused = false;
  let yRefused = false;
  const { deps: c, arm } = instanceWithHeldCalls(async ({ command, sk, partition }, next) => {
    if (command !== 'UpdateItemCommand') return next();
    if (sk === 'V#x' && partition === g0 && !xRefused) {
      xRefused = true;
      throw refused();
    }
    if ((sk === 'V#y' || sk === 'V#w') && partition === g0) await yAndWMayGo.passed;
    if (sk === 'V#y' && partition === g1 && !yRefused) {
      yRefused = true;
      await inRequest(() => b.eraser.retire(id)); // a second DELETE, by another instance
      throw refused();
    }
    if (sk === 'V#w' && partition === g1) await wMayGo.passed;
    const result = await next();
    if (sk === 'V#x' && partition === g1) yAndWMayGo.open();
    if (sk === 'V#y' && partition === g2) wMayGo.open();
    return result;
  });
  await inRequest(() => c.variables.put(id, write('seed', 0)));
  await inRequest(() => b.eraser.retire(id));
  arm();

  const metadata = await inRequest(() => c.variables.putMany(id, [write('x', 1), write('y', 2), write('w', 3)]));
  expect(metadata.map((m) => [m.variable_name, m.version])).toEqual([
    ['x', 1],
    ['y', 1],
    ['w', 1],
  ]);
  const page = await inRequest(() => b.variables.list(id, { limit: 10, includeValues: false }));
  expect(page.variables.map((v) => v.variable_name).sort()).toEqual(['w', 'x', 'y']);
  expect(await headsIn(g1)).toEqual([]);
});

it('two refused lanes whose generation reads answer out of order write into the newer generation', async () => {
  const id = 'opt-gen-8';
  const [g0, g2] = [0, 2].map((g) => partitionOf(id, g));
  const xHasRead = gate();
  const zIsDone = gate();
  let xRefused = false;
  let zRefused = false;
  let versionReads = 0;
  const { deps: c, arm } = instanceWithHeldCalls(async ({ command, sk, partition }, next) => {
    if (command === 'GetItemCommand' && sk === '#DATA_VERSION' && versionReads++ === 0) {
      const result = await next(); // x's read: generation 1 ...
      xHasRead.open();
      await zIsDone.passed; // ... whose answer arrives after z has read generation 2 and written there
      return result;
    }
    if (command !== 'UpdateItemCommand') return next();
    if (sk === 'V#x' && partition === g0 && !xRefused) {
      xRefused = true;
      throw refused();
    }
    if (sk === 'V#z' && partition === g0 && !zRefused) {
      zRefused = true;
      await xHasRead.passed;
      await inRequest(() => b.eraser.retire(id));
      throw refused();
    }
    const result = await next();
    if (sk === 'V#z' && partition === g2) zIsDone.open();
    return result;
  });
  await inRequest(() => c.variables.put(id, write('seed', 0)));
  await inRequest(() => b.eraser.retire(id));
  arm();

  const metadata = await inRequest(() => c.variables.putMany(id, [write('x', 1), write('z', 2)]));
  expect(metadata.map((m) => m.variable_name)).toEqual(['x', 'z']);
  const page = await inRequest(() => b.variables.list(id, { limit: 10, includeValues: false }));
  expect(page.variables.map((v) => v.variable_name).sort()).toEqual(['x', 'z']);
  expect((await headsIn(g2)).sort()).toEqual(['V#x', 'V#z']);
});

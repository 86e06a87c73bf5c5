/**
 * VariableService over in-memory ports: the codec and use-case facts that e2e checks through a
 * server (integers stay integers, key order, depth 64, cursors, page budgets, coherence across
 * instances), here without HTTP.
 */
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '#domain/json';
import { parseJson } from '#domain/ordered-json';
import type { ListedVariable } from '#services/variables';
import { anotherInstance, inMemoryServices } from '../../support/in-memory';
import { rejection, write } from './support';

/** A later millisecond, so updated_at orders writes (list order is step, then updated_at, then name). */
/**
 * Only Date is faked (timers and promises run as usual) and moves only when a test says so: order
 * by update time is then exact, however busy the machine (two writes in "one millisecond" are).
 */
const ONLY_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;
beforeEach(() => {
  jest.useFakeTimers({ doNotFake: [...ONLY_DATE], now: Date.parse('2026-01-01T00:00:00.000Z') });
});
afterEach(() => jest.useRealTimers());
const nextMillisecond = async () => jest.setSystemTime(Date.now() + 1);

/** Compact JSON text built from entry lists, so the intended key order is exact (integer-like keys too). */
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.nat({ max: 300 }).map(String), fc.constantFrom('__proto__', 'constructor', '01'));
const jsonText: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .oneof(
        fc.string(),
        fc.integer(),
        fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 60, 0.1, 1e300, 5e-324),
        fc.boolean(),
        fc.constant(null),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      )
      .map((v) => JSON.stringify(v)),
    fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .uniqueArray(fc.tuple(key, tie('node')), { maxLength: 5, selector: ([k]) => k })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).node;

describe('values come back exactly as written (API.md §3)', () => {
  it('any JSON value, through this instance, another instance (the shared tier) and a listing with values', async () => {
    await fc.assert(
      fc.asyncProperty(jsonText, fc.boolean(), async (text, large) => {
        const services = inMemoryServices({ inlinePayloadBytes: large ? 0 : 64 * 1024 });
        const value = parseJson(text) as JsonValue;
        await services.variables.put('e1', write('v', value));
        const expected = JSON.stringify(value);
        expect(JSON.stringify((await services.variables.get('e1', 'v')).value)).toBe(expected);
        expect(JSON.stringify((await anotherInstance(services).variables.get('e1', 'v')).value)).toBe(expected);
        const listed = await services.variables.list('e1', { limit: 10, includeValues: true });
        expect(JSON.stringify(listed.variables[0].value)).toBe(expected);
        // The other instance decodes the snapshot this listing cached in the shared tier.
        const listedThere = await anotherInstance(services).variables.list('e1', { limit: 10, includeValues: true });
        expect(JSON.stringify(listedThere.variables[0].value)).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('integers stay integers: 5 (also when sent as 5.0), 2^53 and beyond-safe integers as parsed', async () => {
    const { variables } = inMemoryServices();
    const value = parseJson('{"five":5.0,"big":9007199254740992,"neg":-9007199254740992,"half":0.5}') as JsonObject;
    await variables.put('e1', write('n', value));
    const stored = (await variables.get('e1', 'n')).value as JsonObject;
    expect(JSON.stringify(stored)).toBe('{"five":5,"big":9007199254740992,"neg":-9007199254740992,"half":0.5}');
    expect(Number.isInteger(stored.five)).toBe(true);
  });

  it('object keys keep their insertion order, integer-like ones too, and __proto__ is plain data', async () => {
    const services = inMemoryServices();
    const text = '{"b":1,"2":2,"a":{"9":1,"x":0},"1":4,"__proto__":{"polluted":true},"constructor":5}';
    await services.variables.put('e1', write('ordered', parseJson(text) as JsonValue));
    for (const reader of [services.variables, anotherInstance(services).variables]) {
      const value = (await reader.get('e1', 'ordered')).value as JsonObject;
      expect(JSON.stringify(value)).toBe(text);
      expect(Object.keys(value)).toEqual(['b', '2', 'a', '1', '__proto__', 'constructor']);
    }
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('depth 64 round-trips', async () => {
    const services = inMemoryServices();
    let deep: JsonValue = 'bottom';
    for (let depth = 0; depth < 64; depth += 1) deep = depth % 2 === 0 ? [deep] : { level: deep };
    await services.variables.put('e1', write('deep', deep));
    expect(JSON.stringify((await anotherInstance(services).variables.get('e1', 'deep')).value)).toBe(JSON.stringify(deep));
  });

  it('null is a value, distinct from a missing variable', async () => {
    const { variables } = inMemoryServices();
    await variables.put('e1', write('nothing', null));
    expect((await variables.get('e1', 'nothing')).value).toBeNull();
    expect((await rejection(variables.get('e1', 'missing'))).code).toBe('VARIABLE_NOT_FOUND');
  });
});

describe('writes', () => {
  it('create is version 1 and created; an overwrite is version 2, keeps created_at and moves updated_at', async () => {
    const { variables } = inMemoryServices();
    const first = await variables.put('e1', write('v', 1));
    expect(first).toMatchObject({ created: true, metadata: { version: 1, data_type: 'number', size_bytes: 1 } });
    await nextMillisecond();
    const second = await variables.put('e1', write('v', 'two'));
    expect(second).toMatchObject({ created: false, metadata: { version: 2, data_type: 'string', created_at: first.metadata.created_at } });
    expect(second.metadata.updated_at > first.metadata.updated_at).toBe(true);
  });

  it('a stale If-Match is VERSION_MISMATCH and stores nothing', async () => {
    const { variables } = inMemoryServices();
    await variables.put('e1', write('v', 1));
    const refused = await rejection(variables.put('e1', write('v', 2), 7));
    expect(refused).toMatchObject({ code: 'VERSION_MISMATCH', status: 412 });
    expect((await variables.get('e1', 'v')).value).toBe(1);
    expect((await rejection(variables.delete('e1', 'v', 7))).code).toBe('VERSION_MISMATCH');
    await variables.delete('e1', 'v', 1);
    expect((await rejection(variables.get('e1', 'v'))).code).toBe('VARIABLE_NOT_FOUND');
  });

  it('every acknowledged write and delete is what the next read on any instance sees, lists included', async () => {
    const services = inMemoryServices();
    const other = anotherInstance(services);
    for (let round = 0; round < 5; round += 1) {
      // Both instances read first, so each holds a snapshot of the previous epoch.
      await services.variables.list('e1', { limit: 10, includeValues: true });
      await other.variables.list('e1', { limit: 10, includeValues: true });
      await services.variables.put('e1', write('v', round));
      for (const reader of [services.variables, other.variables]) {
        expect((await reader.get('e1', 'v')).value).toBe(round);
        expect((await reader.list('e1', { limit: 10, includeValues: true })).variables.map((item) => item.value)).toEqual([round]);
      }
    }
    await services.variables.delete('e1', 'v');
    expect((await rejection(other.variables.get('e1', 'v'))).details).toEqual({ variable_name: 'v' });
    expect((await other.variables.list('e1', { limit: 10, includeValues: false })).variables).toEqual([]);
  });

  it('a batch stores every write and then advances the epoch once', async () => {
    const { variables, store } = inMemoryServices();
    const metadata = await variables.putMany(
      'e1',
      Array.from({ length: 40 }, (_, index) => write(`v${index}`, index)),
    );
    expect(metadata.map((item) => item.version)).toEqual(Array(40).fill(1));
    expect(store.executions.get('e1')?.epoch).toBe('epoch-1');
    expect((await variables.list('e1', { limit: 100, includeValues: false })).variables).toHaveLength(40);
  });

  it('deleting a missing variable is VARIABLE_NOT_FOUND naming it', async () => {
    const { variables } = inMemoryServices();
    const refused = await rejection(variables.delete('e1', 'ghost'));
    expect(refused).toMatchObject({ code: 'VARIABLE_NOT_FOUND', details: { variable_name: 'ghost' } });
    expect(refused.message).toBe("Variable 'ghost' not found in execution 'e1'");
  });
});

describe('listing', () => {
  const names = (items: ListedVariable[]) => items.map((item) => item.variable_name);

  it('orders by source step (numerically), then updated_at, then name; an overwrite moves its item', async () => {
    const { variables } = inMemoryServices();
    for (const [name, step] of [
      ['s10', 10],
      ['s9', 9],
      ['s100', 100],
      ['s2', 2],
    ] as const)
      await variables.put('e1', write(name, 1, step));
    await nextMillisecond();
    await variables.put('e1', write('b', 1, 5));
    await variables.put('e1', write('a', 1, 5));
    await nextMillisecond();
    await variables.put('e1', write('c', 1, 5));
    expect(names((await variables.list('e1', { limit: 100, includeValues: false })).variables)).toEqual([
      's2',
      'a',
      'b',
      'c',
      's9',
      's10',
      's100',
    ]);
    await nextMillisecond();
    await variables.put('e1', write('a', 2, 5));
    expect(names((await variables.list('e1', { limit: 100, includeValues: false })).variables).slice(1, 4)).toEqual(['b', 'c', 'a']);
  });

  it('walking with any sequence of limits visits every variable exactly once, in order; the last page has no cursor', async () => {
    const { variables } = inMemoryServices();
    await variables.putMany(
      'e1',
      Array.from({ length: 25 }, (_, index) => write(`v${String(index).padStart(2, '0')}`, index, index % 4)),
    );
    const all = names((await variables.list('e1', { limit: 1000, includeValues: false })).variables);
    expect(all).toHaveLength(25);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 30, maxLength: 30 }), async (limits) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (const limit of limits) {
          const page = await variables.list('e1', { limit, cursor, includeValues: false });
          seen.push(...names(page.variables));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        expect(seen).toEqual(all);
      }),
      { numRuns: 40 },
    );
  });

  it('a last page that is exactly full has no cursor; 25 items with limit 7 come as 7, 7, 7, 4', async () => {
    const { variables } = inMemoryServices();
    await variables.putMany(
      'e1',
      Array.from({ length: 25 }, (_, index) => write(`v${index}`, index)),
    );
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await variables.list('e1', { limit: 7, cursor, includeValues: false });
      sizes.push(page.variables.length);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([7, 7, 7, 4]);
    expect((await variables.list('e1', { limit: 25, includeValues: false })).nextCursor).toBeNull();
  });

  it("another execution's cursor, or anything that is no cursor, is 400 INVALID_REQUEST naming the cursor", async () => {
    const { variables } = inMemoryServices();
    await variables.putMany('e1', [write('a', 1), write('b', 2)]);
    await variables.putMany('e2', [write('a', 1), write('b', 2)]);
    const cursor = (await variables.list('e1', { limit: 1, includeValues: false })).nextCursor!;
    const forged = Buffer.from(JSON.stringify(['e1', 'one', 'x', 'a']), 'utf8').toString('base64url');
    for (const bad of [cursor, 'garbage', '%%%', 'null', forged]) {
      const refused = await rejection(variables.list(bad === cursor ? 'e2' : 'e1', { limit: 1, cursor: bad, includeValues: false }));
      expect(refused).toMatchObject({ code: 'INVALID_REQUEST', details: { field: 'cursor' } });
    }
  });

  it('a page ends before 4 MiB of values (always one item): five 1 MiB values with limit 10 come as 4 and 1', async () => {
    const { variables } = inMemoryServices();
    const mebibyte = 'x'.repeat(1_048_576 - 2);
    await variables.putMany(
      'e1',
      Array.from({ length: 5 }, (_, index) => write(`big${index}`, mebibyte)),
    );
    const first = await variables.list('e1', { limit: 10, includeValues: true });
    expect(first.variables).toHaveLength(4);
    const second = await variables.list('e1', { limit: 10, includeValues: true, cursor: first.nextCursor! });
    expect(second.variables).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    // Without values, sizes do not count.
    expect((await variables.list('e1', { limit: 10, includeValues: false })).variables).toHaveLength(5);
  });

  it('a masked value counts as its mask: six 1 MiB secrets fit one page, and neither preview nor value shows them', async () => {
    const { variables } = inMemoryServices();
    const secret = 's'.repeat(1_048_576 - 2);
    await variables.putMany(
      'e1',
      Array.from({ length: 6 }, (_, index) => write(`secret${index}`, secret, 1, { sensitive: true })),
    );
    const page = await variables.list('e1', { limit: 10, includeValues: true });
    expect(page.variables).toHaveLength(6);
    for (const item of page.variables) {
      expect(item.preview_value).toBe('"******"');
      expect(item.value).toBe('******');
    }
    // The real value is still there for GET.
    expect((await variables.get('e1', 'secret0')).value).toBe(secret);
  });
});

/** ReferenceService over in-memory ports: resolution, what lineage keeps, and how it degrades. */
import { ApiError } from '#domain/errors';
import type { JsonObject } from '#domain/json';
import { parseJson } from '#domain/ordered-json';
import { inMemoryServices } from '../../support/in-memory';
import { databaseDown, rejection, write } from './support';

const resolveParams = (params: JsonObject, extra: { strict?: boolean; record?: boolean; step?: number } = {}) => ({
  step_index: extra.step ?? 5,
  params,
  record: extra.record ?? true,
  strict: extra.strict ?? false,
});

describe('resolve', () => {
  it('a single reference keeps its type (integers stay integers, objects keep key order); embedded ones render as text', async () => {
    const { variables, references } = inMemoryServices();
    await variables.put('e1', write('n', 5));
    await variables.put('e1', write('order', parseJson('{"z":1,"10":2,"a":[1.0,{"2":0,"b":1}]}') as JsonObject));
    const { body, failed } = await references.resolve('e1', resolveParams({ count: '${n}', id: 'id-${n}', order: '${order}' }), 'en');
    const params = body.params as JsonObject;
    expect(params.count).toBe(5);
    expect(params.id).toBe('id-5');
    expect(JSON.stringify(params.order)).toBe('{"z":1,"10":2,"a":[1,{"2":0,"b":1}]}');
    expect(failed).toEqual([]);
    expect(body).toMatchObject({ resolved_count: 3, unresolved_count: 0 });
  });

  it('records lineage in document order, after the answer is known; record=false stores nothing', async () => {
    const { variables, references } = inMemoryServices();
    await variables.put('e1', write('a', 1));
    await references.resolve('e1', resolveParams({ p1: '${a}', p2: '${missing}', p3: 'x ${a} y' }), 'en');
    await references.resolve('e1', resolveParams({ quiet: '${a}' }, { record: false }), 'en');
    const page = await references.page('e1', {}, 100, undefined, 'en');
    expect(page.records.map((record) => [record.parameter_name, record.resolution_status])).toEqual([
      ['p1', 'success'],
      ['p2', 'failed'],
      ['p3', 'success'],
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('lineage pages walk every record once; a cursor of another execution is 400', async () => {
    const { variables, references } = inMemoryServices();
    await variables.put('e1', write('a', 1));
    for (let step = 3; step > 0; step -= 1) {
      await references.resolve('e1', resolveParams({ x: '${a}', y: '${a}' }, { step: step + 1 }), 'en');
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await references.page('e1', {}, 2, cursor, 'en');
      seen.push(...page.records.map((record) => record.step_index));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([2, 2, 3, 3, 4, 4]);
    const first = await references.page('e1', {}, 1, undefined, 'en');
    expect((await rejection(references.page('e2', {}, 1, first.nextCursor!, 'en'))).details).toEqual({ field: 'cursor' });
  });

  it('a failing lineage write never fails the resolve: the answer comes, and the failure is signalled', async () => {
    const { variables, references, lineageLog, signals } = inMemoryServices();
    await variables.put('e1', write('a', 1));
    lineageLog.appendFailure = databaseDown();
    const { body } = await references.resolve('e1', resolveParams({ p: '${a}' }), 'en');
    expect((body.params as JsonObject).p).toBe(1);
    expect(signals.recorded).toContainEqual({ signal: 'lineageWriteFailed', recordCount: 1 });
  });

  it('after five unavailable-database failures the lineage breaker opens and says so', async () => {
    const { variables, references, lineageLog, signals } = inMemoryServices();
    await variables.put('e1', write('a', 1));
    lineageLog.appendFailure = databaseDown();
    for (let call = 0; call < 5; call += 1) await references.resolve('e1', resolveParams({ p: '${a}' }), 'en');
    expect(signals.recorded).toContainEqual({ signal: 'breakerStateChange', dependency: 'lineage', state: 'open' });
  });

  it('a strict resolve with failures returns the failed records (the handler answers 422 with them)', async () => {
    const { references } = inMemoryServices();
    const { failed } = await references.resolve('e1', resolveParams({ p: '${ghost}' }, { strict: true }), 'en');
    expect(failed).toMatchObject([{ variable_name: 'ghost', error_code: 'VARIABLE_NOT_FOUND', resolution_status: 'failed' }]);
  });

  it('refuses input over 256 KiB (413) and more than 1,000 references (400) before reading anything', async () => {
    const { references, store } = inMemoryServices();
    const tooLarge = await rejection(references.resolve('e1', resolveParams({ p: 'x'.repeat(256 * 1024) }), 'en'));
    expect(tooLarge).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { field: 'params' } });
    const many = await rejection(references.resolve('e1', resolveParams({ p: '${a}'.repeat(1001) }), 'en'));
    expect(many).toMatchObject({ code: 'INVALID_REQUEST', details: { references: 1001 } });
    expect(store.calls.readDataEpoch).toBe(0);
  });

  it('reads a large (not inline) value the references name', async () => {
    const { variables, references, store } = inMemoryServices({ inlinePayloadBytes: 0 });
    await variables.put('e1', write('big', { list: [1, 2, 3] }));
    const { body } = await references.resolve('e1', resolveParams({ p: '${big.list[2]}' }), 'en');
    expect((body.params as JsonObject).p).toBe(3);
    expect(store.calls.loadPayload).toBe(1);
  });
});

describe('validate', () => {
  it('checks each item against the variables visible at the step', async () => {
    const { variables, references } = inMemoryServices();
    await variables.put('e1', write('n', 5));
    const results = await references.validate('e1', ['${n}', '${nope}', 'plain'], 2, 'en');
    expect(results).toMatchObject([
      { reference: '${n}', is_valid: true, resolved_value: 5, data_type: 'number' },
      { reference: '${nope}', is_valid: false, error_code: 'VARIABLE_NOT_FOUND' },
      { reference: 'plain', is_valid: false, error_code: 'INVALID_FORMAT' },
    ]);
  });

  it('a root written at the step or later is VARIABLE_NOT_YET_DEFINED, not missing', async () => {
    const { variables, references } = inMemoryServices();
    await variables.put('e1', write('later', 1, 7));
    const [result] = await references.validate('e1', ['${later}'], 7, 'en');
    expect(result).toMatchObject({ is_valid: false, error_code: 'VARIABLE_NOT_YET_DEFINED' });
  });

  it('with the store unavailable, answers grammar-only items and signals degraded mode (API.md §6)', async () => {
    const { references, store, signals } = inMemoryServices();
    store.failure = databaseDown();
    const results = (await references.validate('e1', ['${n}', 'plain'], 2, 'en')) as Array<{ is_valid: boolean }>;
    expect(results).toHaveLength(2);
    expect(results[1].is_valid).toBe(false);
    expect(signals.recorded).toContainEqual({ signal: 'degraded', feature: 'validate' });
  });

  it('any other failure of the store is not hidden', async () => {
    const { references, store } = inMemoryServices();
    store.failure = new TypeError('a bug');
    await expect(references.validate('e1', ['${n}'], 2, 'en')).rejects.toThrow(TypeError);
    store.failure = new ApiError('INVALID_REQUEST', 'refused');
    expect((await rejection(references.validate('e1', ['${n}'], 2, 'en'))).code).toBe('INVALID_REQUEST');
  });
});

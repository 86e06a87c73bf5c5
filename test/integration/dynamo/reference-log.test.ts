import { createDependencies, type Dependencies } from '../../support/wired-dependencies';
import type { StoredReferenceRecord } from '#services/ports';
import { startTestDatabase, type TestDatabase } from '../../support/dynalite';

let database: TestDatabase;
let deps: Dependencies;

beforeAll(async () => {
  database = await startTestDatabase();
  deps = createDependencies(database.settings);
});
afterAll(() => database.close());

const record = (step: number, name: string, status: 'success' | 'failed', order: number): StoredReferenceRecord => ({
  step_index: step,
  variable_name: name,
  reference_path: name,
  parameter_name: `p${order}`,
  original_expression: `\${${name}}`,
  resolved_value: status === 'success' ? 'x' : null,
  resolution_status: status,
  error_code: status === 'failed' ? 'VARIABLE_NOT_FOUND' : null,
  error_message: null,
  created_at: new Date().toISOString(),
});

describe('DynamoReferenceLog against dynalite', () => {
  beforeAll(async () => {
    await deps.lineageLog.append('log-1', [record(5, 'a', 'success', 0), record(5, 'b', 'failed', 1)]);
    await deps.lineageLog.append('log-1', [record(2, 'a', 'success', 2)]);
    await deps.lineageLog.append('log-1', [record(5, 'a', 'failed', 3), record(10, 'c', 'success', 4)]);
  });

  it('orders by step, then time of recording, then document order', async () => {
    const page = await deps.lineageLog.page('log-1', {}, 100, undefined);
    expect(page.records.map((r) => r.parameter_name)).toEqual(['p2', 'p0', 'p1', 'p3', 'p4']);
    expect(page.nextCursor).toBeNull();
  });

  it('filters by step, status and variable name, and pages with a cursor', async () => {
    const step5 = await deps.lineageLog.page('log-1', { stepIndex: 5 }, 100, undefined);
    expect(step5.records).toHaveLength(3);
    const failedA = await deps.lineageLog.page('log-1', { status: 'failed', variableName: 'a' }, 100, undefined);
    expect(failedA.records.map((r) => r.parameter_name)).toEqual(['p3']);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.lineageLog.page('log-1', { status: 'success' }, 1, cursor);
      seen.push(...page.records.map((r) => r.parameter_name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['p2', 'p0', 'p4']);
  });

  it('rejects a cursor it did not make', async () => {
    await expect(deps.lineageLog.page('log-1', {}, 10, 'not-a-cursor')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('deletes every record of an execution and no other', async () => {
    await deps.lineageLog.append('log-2', [record(1, 'a', 'success', 0)]);
    await deps.deletions.delete('log-2', 5000);
    expect(await deps.lineageLog.tallies('log-2')).toEqual([]);
    expect((await deps.lineageLog.tallies('log-1')).length).toBe(5);
  });
});

describe('records larger than one DynamoDB item', () => {
  // A whole-field reference to a 1 MiB value records its 1 MiB rendering; DynamoDB items end at 400 KB.
  const huge = (order: number, status: 'success' | 'failed'): StoredReferenceRecord => ({
    ...record(3, 'huge', status, order),
    resolved_value: status === 'success' ? `${'é'.repeat(400_000)}${order}` : null,
    reference_path: status === 'failed' ? `huge.${'k'.repeat(250_000)}` : 'huge',
    original_expression: status === 'failed' ? `\${huge.${'k'.repeat(250_000)}}` : '${huge}',
  });

  beforeAll(async () => {
    await deps.lineageLog.append('log-3', [
      record(3, 'small', 'success', 0),
      huge(1, 'success'),
      huge(2, 'failed'),
      record(4, 'small', 'failed', 3),
    ]);
  });

  it('keeps them whole, in order, next to the small records of the same call', async () => {
    const page = await deps.lineageLog.page('log-3', {}, 100, undefined);
    expect(page.records).toEqual(
      [record(3, 'small', 'success', 0), huge(1, 'success'), huge(2, 'failed'), record(4, 'small', 'failed', 3)].map((r, i) => ({
        ...r,
        created_at: page.records[i].created_at,
      })),
    );
    // The summary's view reads no resolved values, yet has every record's expression, however long.
    const tallies = await deps.lineageLog.tallies('log-3');
    expect(tallies.map((t) => t.original_expression)).toEqual(['${small}', '${huge}', huge(2, 'failed').original_expression, '${small}']);
    expect(tallies.map((t) => `${t.step_index}:${t.variable_name}:${t.resolution_status}`)).toEqual([
      '3:small:success',
      '3:huge:success',
      '3:huge:failed',
      '4:small:failed',
    ]);
    expect(
      tallies.every((t) => Object.keys(t).sort().join() === 'created_at,original_expression,resolution_status,step_index,variable_name'),
    ).toBe(true);
  });

  it('filters and pages them like any record', async () => {
    const failedHuge = await deps.lineageLog.page('log-3', { status: 'failed', variableName: 'huge' }, 100, undefined);
    expect(failedHuge.records.map((r) => r.parameter_name)).toEqual(['p2']);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.lineageLog.page('log-3', { stepIndex: 3 }, 1, cursor);
      seen.push(...page.records.map((r) => `${r.parameter_name}:${r.resolved_value?.length ?? null}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['p0:1', 'p1:400001', 'p2:null']);
  });

  it('are deleted with their execution', async () => {
    await deps.deletions.delete('log-3', 5000);
    expect(await deps.lineageLog.tallies('log-3')).toEqual([]);
  });
});

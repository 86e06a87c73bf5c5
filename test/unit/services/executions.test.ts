/** ExecutionSummaries and ExecutionDeletions over in-memory ports: the summary and the deletion of a whole execution. */
import { inMemoryServices } from '../../support/in-memory';
import { write } from './support';

describe('summary', () => {
  it('an unknown execution has zeros and empty lists', async () => {
    const { summaries } = inMemoryServices();
    expect(await summaries.summary('nothing')).toEqual({
      execution_id: 'nothing',
      variables_count: 0,
      references_count: 0,
      failed_references_count: 0,
      variables: [],
      recent_references: [],
    });
  });

  it('counts records, usage of successful ones by root name, variables in list order, the latest ten newest first', async () => {
    const { variables, references, summaries } = inMemoryServices();
    await variables.put('e1', write('b', 1, 2));
    await variables.put('e1', write('a', { x: 1 }, 1));
    for (let step = 3; step < 15; step += 1) {
      await references.resolve('e1', { step_index: step, params: { p: '${a.x}', q: '${ghost}' }, record: true, strict: false }, 'en');
    }
    const summary = await summaries.summary('e1');
    expect(summary).toMatchObject({ variables_count: 2, references_count: 24, failed_references_count: 12 });
    expect(summary.variables.map((item) => [item.name, item.usage_count])).toEqual([
      ['a', 12],
      ['b', 0],
    ]);
    expect(summary.recent_references).toHaveLength(10);
    // Recorded at the same millisecond or later: newest first, and for equal times the later record first.
    expect(summary.recent_references[0]).toMatchObject({ step_index: 14, reference: '${ghost}', status: 'failed' });
    expect(summary.recent_references[1]).toMatchObject({ step_index: 14, reference: '${a.x}', status: 'success' });
  });
});

describe('delete', () => {
  it('empties the execution for every reader at once; a purge finished inline is "deleted"', async () => {
    const { variables, references, summaries, deletions, purges } = inMemoryServices();
    await variables.put('e1', write('a', 1));
    await variables.list('e1', { limit: 10, includeValues: true });
    await references.resolve('e1', { step_index: 2, params: { p: '${a}' }, record: true, strict: false }, 'en');
    expect(await deletions.delete('e1', 1000)).toBe('deleted');
    expect(purges.queued).toEqual([]);
    expect((await variables.list('e1', { limit: 10, includeValues: false })).variables).toEqual([]);
    expect((await summaries.summary('e1')).references_count).toBe(0);
    // Later writes start afresh.
    expect((await variables.put('e1', write('a', 2))).metadata.version).toBe(1);
  });

  it('a purge that does not finish, or fails, is "deleting" and goes on through the purge queue', async () => {
    const { variables, deletions, eraser, purges } = inMemoryServices();
    await variables.put('e1', write('a', 1));
    eraser.stepsPerPurge = 2;
    expect(await deletions.delete('e1', 1000)).toBe('deleting');
    expect(purges.queued).toMatchObject([{ executionId: 'e1' }]);
    expect(await deletions.continuePurge(purges.queued[0], Date.now() + 1000)).toBe(true);
    eraser.stepsPerPurge = 1;
    eraser.purgeFailure = new Error('throttled');
    expect(await deletions.delete('e2', 1000)).toBe('deleting');
    expect(purges.queued.map((retired) => retired.executionId)).toEqual(['e1', 'e2']);
  });
});

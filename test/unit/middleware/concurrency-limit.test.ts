import { ConcurrencyLimit } from '#middleware/concurrency-limit';

/** A unit of work that runs until released. */
function held() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    release,
    work: async () => {
      await done;
      return 'done';
    },
  };
}

describe('ConcurrencyLimit', () => {
  it('runs up to its limit at once and queues the next, which starts when a slot frees', async () => {
    const limit = new ConcurrencyLimit(1);
    const first = held();
    const running = limit.run(5000, first.work);
    let secondBudget = 0;
    const queued = limit.run(5000, async (remaining) => {
      secondBudget = remaining;
      return 'second';
    });
    expect(limit.running).toBe(1);
    expect(limit.queued).toBe(1);
    first.release();
    await expect(running).resolves.toBe('done');
    await expect(queued).resolves.toBe('second');
    // The work gets what is left of the budget after its wait, in whole milliseconds.
    expect(Number.isInteger(secondBudget)).toBe(true);
    expect(secondBudget).toBeGreaterThan(0);
    expect(secondBudget).toBeLessThan(5000);
  });

  it('answers OVERLOADED with Retry-After once a queued request can no longer start within its budget, and never runs it', async () => {
    const limit = new ConcurrencyLimit(1);
    const first = held();
    const running = limit.run(5000, first.work);
    let ran = false;
    // Budget 200 ms: it may wait 150 ms for a slot.
    await expect(
      limit.run(200, async () => {
        ran = true;
        return 'late';
      }),
    ).rejects.toMatchObject({ code: 'OVERLOADED', status: 503, headers: { 'Retry-After': '1' } });
    first.release();
    await running;
    // The given-up entry is skipped and its slot handed on: the next request runs.
    await expect(limit.run(5000, async () => 'next')).resolves.toBe('next');
    expect(ran).toBe(false);
  });

  it('turns new arrivals away at once when its queue is full', async () => {
    const limit = new ConcurrencyLimit(1, 1);
    const first = held();
    const running = limit.run(5000, first.work);
    const queued = limit.run(5000, async () => 'queued');
    await expect(limit.run(5000, async () => 'third')).rejects.toMatchObject({ code: 'OVERLOADED' });
    first.release();
    await expect(Promise.all([running, queued])).resolves.toEqual(['done', 'queued']);
  });

  it('passes a failure of the work through unchanged', async () => {
    const limit = new ConcurrencyLimit(2);
    await expect(
      limit.run(1000, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(limit.run(1000, async () => 'ok')).resolves.toBe('ok');
  });
});

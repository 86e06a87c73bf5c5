import { budgetSignal, outsideRequestScope, requestScopeMode, useRequestScope } from '#services/request-budget-signal';
import { effectiveBudget, withinBudget } from '#middleware/time-budget';
import { createTestEvent } from '../../support/test-event';

describe('effectiveBudget', () => {
  it('is the configured budget, cut to what the Lambda deadline leaves less a margin, and never below 100 ms', () => {
    expect(effectiveBudget(8000, createTestEvent({ remainingMs: 60_000 }).context)).toBe(8000);
    // A frozen clock: the deadline leaves exactly 3,000 ms, less the 500 ms margin.
    const { context } = createTestEvent();
    expect(effectiveBudget(8000, { ...context, getRemainingTimeInMillis: () => 3000 })).toBe(2500);
    expect(effectiveBudget(8000, createTestEvent({ remainingMs: 0 }).context)).toBe(100);
  });
});

describe('withinBudget', () => {
  it("runs the work with the budget's abort signal in scope and returns its answer", async () => {
    let signal: AbortSignal | undefined;
    const answer = await withinBudget(5000, async () => {
      signal = budgetSignal();
      return 'done';
    });
    expect(answer).toBe('done');
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(budgetSignal()).toBeUndefined();
  });

  it('answers 504 TIMEOUT with the budget once the work outlives it, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const never = new Promise<string>(() => undefined);
    await expect(
      withinBudget(100, () => {
        signal = budgetSignal();
        return never;
      }),
    ).rejects.toMatchObject({ code: 'TIMEOUT', status: 504, details: { budget_ms: 100 } });
    expect(signal?.aborted).toBe(true);
  });

  it('passes the work’s own errors on unchanged, and aborts the signal so none of its attempts starts afterwards', async () => {
    const failure = new Error('own failure');
    let signal: AbortSignal | undefined;
    const failing = () => {
      signal = budgetSignal();
      return Promise.reject(failure);
    };
    await expect(withinBudget(5000, failing)).rejects.toBe(failure);
    expect(signal?.aborted).toBe(true);
  });
});

describe('withinBudget in a process that runs one request at a time (a Lambda instance)', () => {
  beforeEach(() => useRequestScope('one-at-a-time'));
  afterEach(() => useRequestScope('concurrent'));

  it("gives each request its own signal, and a timed-out request's work its aborted one", async () => {
    const seen: { [name: string]: AbortSignal | undefined } = {};
    let resumeLeftover: () => void = () => undefined;
    const leftover = new Promise<void>((resolve) => {
      resumeLeftover = resolve;
    });
    await withinBudget(5000, async () => {
      seen.first = budgetSignal();
      return 'ok';
    });
    expect(requestScopeMode()).toBe('one-at-a-time');
    let leftoverDone: Promise<void> = Promise.resolve();
    await expect(
      withinBudget(100, () => {
        seen.timedOut = budgetSignal();
        // What a 504 leaves behind: work that goes on (a retry, a batch's other lane) once the next request has started.
        leftoverDone = leftover.then(() => {
          seen.leftover = budgetSignal();
        });
        return new Promise<never>(() => undefined);
      }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
    await withinBudget(5000, async () => {
      resumeLeftover();
      await leftoverDone;
      seen.next = budgetSignal();
    });
    expect(seen.first).toBeInstanceOf(AbortSignal);
    expect(seen.first?.aborted).toBe(false);
    expect(seen.timedOut?.aborted).toBe(true);
    expect(seen.leftover).toBe(seen.timedOut);
    expect(seen.next).not.toBe(seen.timedOut);
    expect(seen.next?.aborted).toBe(false);
    // After an aborted request the process scopes every request: the left-behind work cannot be told apart otherwise.
    expect(requestScopeMode()).toBe('concurrent');
  });

  it('keeps aborting the signal of failed work, so none of its attempts starts afterwards', async () => {
    let signal: AbortSignal | undefined;
    const failure = new Error('own failure');
    await expect(
      withinBudget(5000, () => {
        signal = budgetSignal();
        return Promise.reject(failure);
      }),
    ).rejects.toBe(failure);
    expect(signal?.aborted).toBe(true);
    // Outside any request scope, what the failed request left behind still reads its aborted signal.
    expect(budgetSignal()).toBe(signal);
  });

  it('runs background work outside any request: no budget signal there', async () => {
    let inside: AbortSignal | undefined | 'unset' = 'unset';
    await withinBudget(5000, async () => {
      await outsideRequestScope(async () => {
        inside = budgetSignal();
      });
    });
    expect(inside).toBeUndefined();
  });
});

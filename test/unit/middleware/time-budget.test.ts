import { budgetSignal } from '#services/request-budget-signal';
import { effectiveBudget, withinBudget } from '#middleware/time-budget';
import { createTestEvent } from '../../support/test-event';

describe('effectiveBudget', () => {
  it('is the configured budget, cut to what the Lambda deadline leaves less a margin, and never below 100 ms', () => {
    expect(effectiveBudget(8000, createTestEvent({ remainingMs: 60_000 }).context)).toBe(8000);
    const cut = effectiveBudget(8000, createTestEvent({ remainingMs: 3000 }).context);
    expect(cut).toBeLessThanOrEqual(2500);
    expect(cut).toBeGreaterThan(2000);
    expect(effectiveBudget(8000, createTestEvent({ remainingMs: 0 }).context)).toBe(100);
  });
});

describe('withinBudget', () => {
  it("runs the work with the budget's abort signal in scope and returns its answer", async () => {
    const { context } = createTestEvent();
    let signal: AbortSignal | undefined;
    const answer = await withinBudget(5000, context, async () => {
      signal = budgetSignal();
      return 'done';
    });
    expect(answer).toBe('done');
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(budgetSignal()).toBeUndefined();
  });

  it('answers 504 TIMEOUT with the budget once the work outlives it, and aborts its signal', async () => {
    const { context } = createTestEvent();
    let signal: AbortSignal | undefined;
    const never = new Promise<string>(() => undefined);
    await expect(
      withinBudget(100, context, () => {
        signal = budgetSignal();
        return never;
      }),
    ).rejects.toMatchObject({ code: 'TIMEOUT', status: 504, details: { budget_ms: 100 } });
    expect(signal?.aborted).toBe(true);
  });

  it('passes the work’s own errors on unchanged, and aborts the signal so none of its attempts starts afterwards', async () => {
    const { context } = createTestEvent();
    const failure = new Error('own failure');
    let signal: AbortSignal | undefined;
    const failing = () => {
      signal = budgetSignal();
      return Promise.reject(failure);
    };
    await expect(withinBudget(5000, context, failing)).rejects.toBe(failure);
    expect(signal?.aborted).toBe(true);
  });
});

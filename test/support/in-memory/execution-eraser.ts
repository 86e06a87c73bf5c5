import type { ExecutionEraser, PurgeQueue, RetiredExecution } from '#services/ports';
import type { InMemoryLineageLog } from './lineage-log';
import type { InMemoryVariableStore } from './variable-store';

/**
 * The eraser port in memory: `retire` empties the execution for every reader at once; `purge`
 * takes `stepsPerPurge` calls to finish (so a test can make an inline purge run out of time), or
 * fails with `purgeFailure`.
 */
export class InMemoryExecutionEraser implements ExecutionEraser {
  private readonly left = new Map<string, number>();
  private generation = 0;
  stepsPerPurge = 1;
  purgeFailure: Error | undefined;

  constructor(
    private readonly store: InMemoryVariableStore,
    private readonly log: InMemoryLineageLog,
  ) {}

  async retire(executionId: string): Promise<RetiredExecution> {
    this.store.retire(executionId);
    this.log.erase(executionId);
    this.generation += 1;
    this.left.set(`${executionId}:${this.generation}`, this.stepsPerPurge);
    return { executionId, generations: [this.generation] };
  }

  async purge(retired: RetiredExecution, _deadline: number): Promise<boolean> {
    if (this.purgeFailure) throw this.purgeFailure;
    for (const generation of retired.generations) {
      const key = `${retired.executionId}:${generation}`;
      const steps = (this.left.get(key) ?? 0) - 1;
      if (steps > 0) {
        this.left.set(key, steps);
        return false;
      }
      this.left.delete(key);
    }
    return true;
  }

  async pending(): Promise<RetiredExecution[]> {
    return [...this.left.keys()].map((key) => {
      const at = key.lastIndexOf(':');
      return { executionId: key.slice(0, at), generations: [Number(key.slice(at + 1))] };
    });
  }
}

/** The purge queue port as a list of what was handed to it. */
export class InMemoryPurgeQueue implements PurgeQueue {
  readonly queued: RetiredExecution[] = [];

  async continueLater(retired: RetiredExecution): Promise<void> {
    this.queued.push(retired);
  }
}

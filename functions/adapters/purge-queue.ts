// The client and the one command by name from the package's index: esbuild keeps only these (the package is side-effect
// free), not the aggregated `SQS` class with every command's schema that a namespace import carries.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { outsideRequestScope } from '#services/request-budget-signal';
import type { ExecutionEraser, PurgeQueue, RetiredExecution } from '#services/ports';

/** One step of a background purge; between steps other requests have the database to themselves. */
const STEP_MS = 500;
const PAUSE_BETWEEN_STEPS_MS = 25;
/** After a failed step (the database unwell): as long as a client is told to wait (Retry-After). */
const PAUSE_AFTER_FAILURE_MS = 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The local server's purge queue: the rest of a purge goes on in this process after its DELETE
 * has answered 202, one execution at a time, in steps of `STEP_MS` with pauses between them, so
 * a purge never takes more than a sliver of the database. It is resumable: the retired
 * generations are recorded in the database (generations.ts) and `resume()` picks them up after
 * a restart. Failures only delay it: the step is tried again after a pause.
 */
export class InProcessPurgeQueue implements PurgeQueue {
  private readonly waiting = new Map<string, RetiredExecution>();
  private draining: Promise<void> | undefined;

  constructor(
    private readonly eraser: ExecutionEraser,
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {}

  async continueLater(retired: RetiredExecution): Promise<void> {
    const known = this.waiting.get(retired.executionId);
    const generations = [...new Set([...(known?.generations ?? []), ...retired.generations])].sort((a, b) => a - b);
    this.waiting.set(retired.executionId, { executionId: retired.executionId, generations });
    this.draining ??= outsideRequestScope(() => this.drain().finally(() => (this.draining = undefined)));
  }

  /** Picks up the purges a previous process left unfinished. */
  async resume(): Promise<void> {
    for (const retired of await this.eraser.pending()) await this.continueLater(retired);
  }

  /** Resolves when nothing is left to purge (for orderly shutdowns and tests). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    for (const [executionId, retired] of this.waiting) {
      this.waiting.delete(executionId);
      let finished = false;
      try {
        finished = await this.eraser.purge(retired, Date.now() + STEP_MS);
      } catch (error) {
        this.onFailure(error);
        await sleep(PAUSE_AFTER_FAILURE_MS);
      }
      if (!finished) {
        // To the back of the queue (merged with any newer retirement of the same execution).
        const newer = this.waiting.get(executionId);
        this.waiting.delete(executionId);
        this.waiting.set(executionId, {
          executionId,
          generations: [...new Set([...retired.generations, ...(newer?.generations ?? [])])].sort((a, b) => a - b),
        });
      }
      await sleep(PAUSE_BETWEEN_STEPS_MS);
    }
  }
}

/**
 * In AWS: the rest of a purge is a message on the purge queue; the purge function works through
 * it in bounded slices and puts a message back for whatever is left (functions/handlers/executions/purge-execution.ts).
 */
export class SqsPurgeQueue implements PurgeQueue {
  /** Built with the queue, at init: the first DELETE that leaves a purge behind pays nothing extra. */
  private readonly client: SQSClient;

  constructor(
    private readonly queueUrl: string,
    region: string,
    private readonly delaySeconds = 0,
  ) {
    this.client = new SQSClient({ region, maxAttempts: 3 });
  }

  async continueLater(retired: RetiredExecution): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ execution_id: retired.executionId, generations: retired.generations }),
        DelaySeconds: this.delaySeconds,
      }),
    );
  }
}

/** The purge queue message's body back as a retired execution (anything else is refused). */
export function retiredFromMessage(body: string): RetiredExecution {
  const parsed = JSON.parse(body) as { execution_id?: unknown; generations?: unknown };
  if (
    typeof parsed.execution_id !== 'string' ||
    !Array.isArray(parsed.generations) ||
    !parsed.generations.every((g) => Number.isInteger(g) && g >= 0)
  ) {
    throw new Error('not a purge message');
  }
  return { executionId: parsed.execution_id, generations: parsed.generations as number[] };
}

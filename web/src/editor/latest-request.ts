/**
 * One kind of request (validate one field, search one query, resolve the step): each new call
 * waits `delayMs` of quiet (debounce) and aborts the one before it, so typing never queues work
 * and an old answer can never overwrite a newer one. `run` resolves to undefined when superseded.
 */
export class LatestRequest {
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(private readonly delayMs: number) {}

  run<T>(task: (signal: AbortSignal) => Promise<T>, delayMs = this.delayMs): Promise<T | undefined> {
    this.cancel();
    const generation = ++this.generation;
    return new Promise<T | undefined>((resolve, reject) => {
      const start = (): void => {
        this.timer = undefined;
        const controller = new AbortController();
        this.controller = controller;
        task(controller.signal).then(
          (value) => resolve(generation === this.generation ? value : undefined),
          (error: unknown) => (generation === this.generation && !controller.signal.aborted ? reject(error) : resolve(undefined)),
        );
      };
      if (delayMs <= 0) start();
      else this.timer = setTimeout(start, delayMs);
      // A superseded call that never started settles as undefined too.
      this.settleSuperseded = () => resolve(undefined);
    });
  }

  /** Drops the pending or running call (its promise settles as undefined). */
  cancel(): void {
    this.generation += 1;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    this.controller = undefined;
    this.settleSuperseded?.();
    this.settleSuperseded = undefined;
  }

  private settleSuperseded: (() => void) | undefined;
}

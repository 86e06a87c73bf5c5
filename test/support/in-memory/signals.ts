import type { ServiceBreaker, ServiceSignals } from '#services/ports';

export type RecordedSignal =
  | { signal: 'breakerStateChange'; dependency: ServiceBreaker; state: string }
  | { signal: 'lineageWriteFailed'; recordCount: number }
  | { signal: 'degraded'; feature: 'suggestions' | 'validate' };

/** The service signals port as a list of what was reported. */
export class RecordingSignals implements ServiceSignals {
  readonly recorded: RecordedSignal[] = [];

  breakerStateChange(dependency: ServiceBreaker, state: 'open' | 'half-open' | 'closed'): void {
    this.recorded.push({ signal: 'breakerStateChange', dependency, state });
  }

  lineageWriteFailed(recordCount: number): void {
    this.recorded.push({ signal: 'lineageWriteFailed', recordCount });
  }

  degraded(feature: 'suggestions' | 'validate'): void {
    this.recorded.push({ signal: 'degraded', feature });
  }
}

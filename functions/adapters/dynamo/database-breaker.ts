import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BrokenCircuitError, ConsecutiveBreaker, CircuitState, circuitBreaker, handleWhen } from 'cockatiel';
import { ApiError, serviceUnavailable } from '#domain/errors';

/** Errors that say the database (or the way to it) is unwell, as opposed to a refused condition. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.name;
  if (name === 'ConditionalCheckFailedException' || name === 'ValidationException' || name === 'RequestBudgetExpiredError') return false;
  // A missing table is a database that is not (yet) there: unavailable, not a bug to report as 500.
  if (name === 'ResourceNotFoundException') return true;
  // Everything the SDK's send() throws (timeouts, refused connections, error statuses) carries
  // $metadata; an error without it is this code's own (a TypeError, say): a 500 to fix, not an
  // outage that opens the breaker for everyone.
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  if (metadata === undefined) return false;
  const fault = (error as { $fault?: string }).$fault;
  const status = metadata.httpStatusCode;
  return (
    fault === 'server' ||
    status === undefined ||
    status >= 500 ||
    name.includes('Throttl') ||
    name === 'ProvisionedThroughputExceededException' ||
    name === 'RequestLimitExceeded' ||
    name === 'TimeoutError' ||
    name === 'AbortError'
  );
}

export interface DatabaseBreakerHooks {
  onStateChange(state: 'open' | 'half-open' | 'closed'): void;
  onThrottle(): void;
}

/**
 * A circuit breaker around every DynamoDB call: after consecutive transient failures it opens and
 * requests fail at once with 503 instead of paying retries and timeouts; it lets one trial call
 * through after `halfOpenAfterMs` and closes again when the database answers.
 */
export class DatabaseBreaker {
  private readonly breaker;

  constructor(hooks: DatabaseBreakerHooks, options: { consecutiveFailures?: number; halfOpenAfterMs?: number } = {}) {
    this.breaker = circuitBreaker(handleWhen(isTransientDatabaseError), {
      // Matches Retry-After (1 s): a client that waits as told finds the trial call allowed.
      halfOpenAfter: options.halfOpenAfterMs ?? 1000,
      breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 5),
    });
    this.breaker.onBreak(() => hooks.onStateChange('open'));
    this.breaker.onHalfOpen(() => hooks.onStateChange('half-open'));
    this.breaker.onReset(() => hooks.onStateChange('closed'));
    this.breaker.onFailure(({ reason }) => {
      if ('error' in reason && reason.error instanceof Error && reason.error.name.includes('Throttl')) hooks.onThrottle();
    });
  }

  get isOpen(): boolean {
    return this.breaker.state === CircuitState.Open;
  }

  async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(operation);
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw serviceUnavailable('circuit open');
      if ((error as Error)?.name === 'RequestBudgetExpiredError') throw new ApiError('TIMEOUT', 'The request budget ran out', {});
      if (isTransientDatabaseError(error)) throw serviceUnavailable((error as Error).name);
      throw error;
    }
  }
}

/** A conditional write DynamoDB refused because its condition did not hold (not a failure of the database). */
export const isConditionRefused = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';

import type { CircuitBreakerPolicy } from 'cockatiel';
import type { ServiceBreaker, ServiceSignals } from '#services/ports';

/** Publishes a service breaker's state changes under the names the dashboard plots (open, half-open, closed). */
export function reportBreakerStates(
  breaker: CircuitBreakerPolicy,
  dependency: ServiceBreaker,
  signals: ServiceSignals,
): CircuitBreakerPolicy {
  breaker.onBreak(() => signals.breakerStateChange(dependency, 'open'));
  breaker.onHalfOpen(() => signals.breakerStateChange(dependency, 'half-open'));
  breaker.onReset(() => signals.breakerStateChange(dependency, 'closed'));
  return breaker;
}

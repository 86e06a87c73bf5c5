import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logger, metrics, MetricUnit } from '#observability/powertools';

/**
 * The service's operational signals in one place, so adapters report events without knowing how
 * they are published. Metrics are EMF (CloudWatch); names match the alarms and dashboard in lib/.
 */
export const signals = {
  cacheHit(tier: 'L1' | 'L2'): void {
    addTiered('CacheHit', tier);
  },
  cacheMiss(tier: 'L1' | 'L2'): void {
    addTiered('CacheMiss', tier);
  },
  cacheError(operation: 'get' | 'set'): void {
    addTiered('CacheError', 'L2');
    logger.warn('cache operation failed', { tier: 'L2', operation, error_type: 'cache_error' });
  },
  l1Eviction(): void {
    addTiered('CacheEviction', 'L1');
  },
  l1Bytes(bytes: number): void {
    metrics.addMetric('L1Bytes', MetricUnit.Bytes, bytes);
  },
  breakerStateChange(dependency: 'database' | 'cache' | 'lineage' | 'suggestions', state: string): void {
    metrics.addMetric(`BreakerState${capitalize(state.replace('-', ''))}`, MetricUnit.Count, 1);
    logger.warn('circuit breaker changed state', { dependency, state });
  },
  databaseRetries(count: number): void {
    metrics.addMetric('DatabaseRetries', MetricUnit.Count, count);
  },
  databaseThrottle(): void {
    metrics.addMetric('DatabaseThrottles', MetricUnit.Count, 1);
  },
  lineageWriteFailed(recordCount: number, error: unknown): void {
    metrics.addMetric('LineageWriteFailures', MetricUnit.Count, 1);
    logger.error('lineage write failed; the resolve answered anyway', { record_count: recordCount, error_name: (error as Error)?.name });
  },
  degraded(feature: 'suggestions' | 'validate', reason: unknown): void {
    metrics.addMetric(`Degraded${capitalize(feature)}`, MetricUnit.Count, 1);
    logger.warn('answering in degraded mode', { feature, error_name: (reason as Error)?.name });
  },
};

/**
 * A single-metric entry carries its own dimension without touching the request's dimension set.
 * One such emitter per tier, made once: `metrics.singleMetric()` builds a new Metrics (a Console,
 * every environment variable read again) on each call, and a cache hit happens on most requests.
 */
const tierEmitters = new Map<string, Metrics>();

function addTiered(name: string, tier: string): void {
  let emitter = tierEmitters.get(tier);
  if (!emitter) {
    emitter = metrics.singleMetric();
    emitter.setDefaultDimensions({ tier });
    tierEmitters.set(tier, emitter);
  }
  emitter.addMetric(name, MetricUnit.Count, 1);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

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

function addTiered(name: string, tier: string): void {
  // A single-metric entry carries its own dimension without touching the request's dimension set.
  const single = metrics.singleMetric();
  single.addDimension('tier', tier);
  single.addMetric(name, MetricUnit.Count, 1);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

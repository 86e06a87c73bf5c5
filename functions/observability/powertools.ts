import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One Logger, Metrics and Tracer per execution environment, shared by every handler and adapter.
 * Nothing here ever receives a variable's value: log fields are names, codes, counts and timings.
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'variable-service';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'VariableService' });
/**
 * Loading the tracer loads the X-Ray SDK, which installs async hooks that tax every promise. Where
 * tracing is off (the local server, tests) it is not loaded at all; in Lambda it is on.
 */
export const tracingEnabled = (process.env.POWERTOOLS_TRACE_ENABLED ?? 'true').toLowerCase() !== 'false';
export const tracer: Tracer | undefined = tracingEnabled
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports
    new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer({ serviceName })
  : undefined;

export { MetricUnit };

/**
 * Whether a log call at this level would print. Check it before building a per-request log line:
 * Powertools reads the trace id and the invocation store before it compares levels, so a call at a
 * disabled level still costs (seen in --cpu-prof of every route); `logger.level` is one lookup.
 */
export function logsAt(level: keyof typeof LogLevelThreshold): boolean {
  return logger.level <= LogLevelThreshold[level];
}

/** Wraps work in an X-Ray subsegment when tracing is on (Lambda); a plain call otherwise. */
export async function inSubsegment<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!tracer?.isTracingEnabled()) return work();
  const parent = tracer.getSegment();
  if (!parent) return work();
  const subsegment = parent.addNewSubsegment(name);
  tracer.setSegment(subsegment);
  try {
    return await work();
  } catch (error) {
    subsegment.addError(error as Error);
    throw error;
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
}

import { Logger } from '@aws-lambda-powertools/logger';
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
 * The Powertools Tracer (the X-Ray SDK in this process: subsegments per DynamoDB call and Redis get,
 * annotations). Loading it installs async hooks that tax every promise, sampled or not: +50–90 % CPU
 * per request measured (docs/operations.md "Tracing"). So it is a stage setting (`inProcessTracing`,
 * lib/stages.ts, off by default; Lambda's active tracing records every invocation either way), and it
 * is decided twice:
 * - at bundle time, `__IN_PROCESS_TRACER__` (function-bundling.ts `define`): `false` folds the
 *   `require` below away, so a function bundled without it carries none of the X-Ray SDK's bytes;
 * - at run time, POWERTOOLS_TRACE_ENABLED (the stage sets it to match; the local server and tests
 *   set `false`; unset means on, as in Powertools). Outside a bundle only the variable decides.
 */
declare const __IN_PROCESS_TRACER__: boolean | undefined;
// esbuild folds a defined constant only inside one expression, so each `require` below repeats the test.
const tracingEnabled =
  (typeof __IN_PROCESS_TRACER__ === 'undefined' || __IN_PROCESS_TRACER__) &&
  (process.env.POWERTOOLS_TRACE_ENABLED ?? 'true').toLowerCase() !== 'false';
export const tracer: Tracer | undefined =
  (typeof __IN_PROCESS_TRACER__ === 'undefined' || __IN_PROCESS_TRACER__) && tracingEnabled
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer({ serviceName })
    : undefined;

type TracerMiddleware = ReturnType<typeof import('@aws-lambda-powertools/tracer/middleware').captureLambdaHandler>;

/** The handler's segment and cold-start annotation when the tracer is on; undefined (nothing loaded) otherwise. */
export function tracerMiddleware(): TracerMiddleware | undefined {
  return (typeof __IN_PROCESS_TRACER__ === 'undefined' || __IN_PROCESS_TRACER__) && tracer
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (
        require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware')
      ).captureLambdaHandler(tracer, { captureResponse: false })
    : undefined;
}

export { MetricUnit };

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

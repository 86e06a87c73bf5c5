import type middy from '@middy/core';
import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { isApiError } from '#domain/errors';

export type AccessMetrics = Pick<Metrics, 'addDimension' | 'addMetric' | 'singleMetric'>;

export interface AccessLogOptions {
  /** The route's operation: the metric dimension and the log line's `operation`. */
  operation: string;
  /** Powertools' Logger; `level` is its numeric level (INFO is 12). */
  logger: { info(message: string, fields: Record<string, unknown>): void; readonly level: number };
  metrics: AccessMetrics;
}

const INFO_LEVEL = LogLevelThreshold.INFO;

/** Where this middleware keeps its per-request state: the request's own `internal`, gone with the request. */
const STARTED_AT = 'variable-service.access-log.started-at';
type Internal = { [STARTED_AT]?: number };
type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context, Internal>;

/**
 * Per-operation Success/Failure/ClientError counts and Latency (EMF), an `Error` count by code,
 * and the one `request handled` log line per request — names and ids only, never a value.
 * It goes first in the chain so its latency covers everything after it, errors included.
 */
export function accessLog({ operation, logger, metrics }: AccessLogOptions) {
  // One single-metric emitter per error code, made once: `singleMetric()` builds a whole Metrics each call.
  const errorEmitters = new Map<string, Metrics>();
  const countError = (code: string): void => {
    let emitter = errorEmitters.get(code);
    if (!emitter) {
      emitter = metrics.singleMetric();
      emitter.setDefaultDimensions({ error_code: code });
      errorEmitters.set(code, emitter);
    }
    emitter.addMetric('Error', MetricUnit.Count, 1);
  };
  const finish = (request: Request): void => {
    const startedAt = request.internal[STARTED_AT] ?? performance.now();
    const latency = performance.now() - startedAt;
    const status = (request.response as { statusCode?: number } | null)?.statusCode ?? 500;
    metrics.addDimension('operation', operation);
    metrics.addMetric(status >= 500 ? 'Failure' : 'Success', MetricUnit.Count, 1);
    if (status >= 400 && status < 500) metrics.addMetric('ClientError', MetricUnit.Count, 1);
    metrics.addMetric('Latency', MetricUnit.Milliseconds, latency);
    // Checked first: Powertools does work (trace id, invocation store) for a log call before it looks at the level.
    if (logger.level > INFO_LEVEL) return;
    logger.info('request handled', {
      operation,
      status,
      latency_ms: Math.round(latency * 10) / 10,
      execution_id: request.event.pathParameters?.execution_id,
      variable_name: request.event.pathParameters?.variable_name,
    });
  };
  const middleware: middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context, Internal> = {
    before: (request) => {
      request.internal[STARTED_AT] = performance.now();
    },
    after: finish,
    onError: (request) => {
      countError(isApiError(request.error) ? request.error.code : 'INTERNAL_ERROR');
      finish(request);
    },
  };
  return middleware;
}

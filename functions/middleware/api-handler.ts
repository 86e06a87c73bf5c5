import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger, metrics, tracer } from '#observability/powertools';
import { httpContract } from '#middleware/http-contract';
import { parseRequest, type ApiRequest, type ParseOptions } from '#middleware/request';
import type { ApiResponse } from '#middleware/responses';
import { effectiveBudget, withinBudget } from '#middleware/time-budget';
import { enforceRateLimit } from '#middleware/rate-limit';
import { signals } from '#observability/signals';
import { dependencies, type Dependencies } from '#functions/dependencies';

export type RouteHandler = (request: ApiRequest, deps: Dependencies) => Promise<ApiResponse>;

/**
 * Every route's Lambda handler is this chain: tracer → logger → metrics → the HTTP contract
 * (auth, CORS, time budget, error shape, per-operation metrics) → parse the request → the
 * client's rate limit → a slot of the instance's concurrency limit (API.md §8) → the route.
 * `limits: false` (health) skips the rate and concurrency limits.
 */
export function apiHandler(operation: string, handle: RouteHandler, options: ParseOptions & { limits?: boolean } = {}) {
  const { limits: limited = true, ...parseOptions } = options;
  const chain = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>();
  if (tracer) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { captureLambdaHandler } =
      require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware');
    chain.use(captureLambdaHandler(tracer, { captureResponse: false }));
  }
  return chain
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(httpContract(operation))
    .handler(async (event: APIGatewayProxyEventV2, context: Context) => {
      const deps = dependencies();
      const request = parseRequest(event, context, new Date(), parseOptions);
      const run = (budgetMs: number) => withinBudget(budgetMs, context, () => handle(request, deps));
      if (limited) await enforceRateLimit(deps.rateLimiter, event);
      const budgetMs = effectiveBudget(deps.settings.requestBudgetMs, context);
      const response = limited ? await deps.concurrency.run(budgetMs, run) : await run(budgetMs);
      signals.l1Bytes(deps.cache.memoryBytes);
      return response;
    });
}

import middy from '@middy/core';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger, metrics, tracer } from '#observability/powertools';
import { httpContract } from '#middleware/http-contract';
import { routeRequest, type RouteInput, type RoutedEvent } from '#middleware/route-request';
import type { RouteResponse } from '#middleware/route-response';
import type { RouteDefinition } from '#functions/routes';
import { effectiveBudget, withinBudget } from '#middleware/time-budget';
import { enforceRateLimit } from '#middleware/rate-limit';
import { signals } from '#observability/signals';
import { dependencies, type Dependencies } from '#functions/dependencies';

export type RouteHandler<R extends RouteDefinition> = (input: RouteInput<R>, deps: Dependencies) => Promise<RouteResponse<R>>;

/**
 * Every route's Lambda handler is this chain: tracer → logger → metrics → the HTTP contract
 * (auth, CORS, time budget, error shape, per-operation metrics) → parse the request by its route entry → the
 * client's rate limit → a slot of the instance's concurrency limit (API.md §8) → the route.
 * `limits: false` (health) skips the rate and concurrency limits.
 */
export function apiHandler<R extends RouteDefinition>(route: R, handle: RouteHandler<R>, options: { limits?: boolean } = {}) {
  const { limits: limited = true } = options;
  const chain = middy<RoutedEvent<R>, APIGatewayProxyResultV2, Error, Context>();
  if (tracer) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { captureLambdaHandler } =
      require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware');
    chain.use(captureLambdaHandler(tracer, { captureResponse: false }));
  }
  return chain
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(httpContract(route.operation))
    .use(routeRequest(route))
    .handler(async (event: RoutedEvent<R>, context: Context) => {
      const deps = dependencies();
      const { input } = event;
      if (input === undefined) throw new Error('routeRequest did not run');
      const run = (budgetMs: number) => withinBudget(budgetMs, context, () => handle(input, deps));
      if (limited) await enforceRateLimit(deps.rateLimiter, event);
      const budgetMs = effectiveBudget(deps.settings.requestBudgetMs, context);
      const response = limited ? await deps.concurrency.run(budgetMs, run) : await run(budgetMs);
      signals.l1Bytes(deps.cache.memoryBytes);
      return response;
    });
}

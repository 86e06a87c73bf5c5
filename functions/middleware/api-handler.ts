import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ClientRateLimiter } from '#adapters/rate-limit';
import type { Settings } from '#config/settings';
import { accessLog } from '#middleware/access-log';
import type { ConcurrencyLimit } from '#middleware/concurrency-limit';
import { errorResponse } from '#middleware/error-response';
import { httpAuth } from '#middleware/http-auth';
import { httpCors } from '#middleware/cors';
import { enforceRateLimit } from '#middleware/rate-limit';
import { parseRequest, type ApiRequest, type ParseOptions } from '#middleware/request';
import type { ApiResponse } from '#middleware/responses';
import { effectiveBudget, withinBudget } from '#middleware/time-budget';
import { logger, metrics, tracer } from '#observability/powertools';
import { signals } from '#observability/signals';

/** The limits of API.md §8 a route is under; health has none (a probe must tell a busy instance from a dead one). */
export interface RequestLimits {
  concurrency: ConcurrencyLimit;
  /** Undefined when RATE_LIMIT_PER_MINUTE is unset, and on routes the rate limit does not count. */
  rateLimiter: ClientRateLimiter | undefined;
}

/** What the HTTP chain itself uses of a route's dependencies. */
export interface HttpDependencies {
  settings: Settings;
  limits?: RequestLimits;
  /** The in-process cache the route reads through, whose size is reported after each request (L1Bytes); writes fill none. */
  cache?: { readonly memoryBytes: number };
}

/** Where a handler module's dependencies come from: its composition (functions/composition/), or a test's. */
export interface DependencySource<D> {
  get(): D;
}

export type RouteHandler<D> = (request: ApiRequest, deps: D) => Promise<ApiResponse>;
export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiHandlerOptions<D> extends ParseOptions {
  dependencies: DependencySource<D>;
}

/** Routes anyone may call, token or not (API.md §5 "Service", §7). */
const OPEN_PATHS = new Set(['/api/health', '/api/openapi.json']);

/**
 * Every route's Lambda handler is this chain, one concern per middleware:
 *   tracer → logger context → metrics flush → access log (metrics + the log line) → CORS →
 *   error mapping → bearer auth → the route's steps:
 *     1. parse the request (API.md §2);
 *     2. the client's rate limit;
 *     3. a slot of the instance's concurrency limit, then the route within the time budget.
 * The chain and the dependencies are built when the module loads (Lambda's init phase), so the
 * first request pays for nothing extra; a test that swaps the dependencies gets a chain built from its own.
 */
export function apiHandler<D extends HttpDependencies>(
  operation: string,
  handle: RouteHandler<D>,
  options: ApiHandlerOptions<D>,
): LambdaHandler {
  const { dependencies, ...parseOptions } = options;
  let current: { deps: D; chain: LambdaHandler } | undefined;
  const chainFor = (deps: D): LambdaHandler => {
    if (current?.deps !== deps) current = { deps, chain: buildChain(operation, deps, handle, parseOptions) };
    return current.chain;
  };
  chainFor(dependencies.get());
  return (event, context) => chainFor(dependencies.get())(event, context);
}

function buildChain<D extends HttpDependencies>(
  operation: string,
  deps: D,
  handle: RouteHandler<D>,
  parseOptions: ParseOptions,
): LambdaHandler {
  const { settings, limits, cache } = deps;
  const chain = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>();
  if (tracer) {
    const { captureLambdaHandler } =
      require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware');
    chain.use(captureLambdaHandler(tracer, { captureResponse: false }));
  }
  return chain
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(accessLog({ operation, logger, metrics }))
    .use(httpCors({ origins: settings.corsOrigins }))
    .use(errorResponse({ log: logger }))
    .use(httpAuth({ token: settings.apiToken, exempt: (event) => OPEN_PATHS.has(event.rawPath) }))
    .handler(async (event: APIGatewayProxyEventV2, context: Context) => {
      // 1. The request as the route reads it (a route-request middleware may take this step's place).
      const request = parseRequest(event, context, new Date(), parseOptions);
      // 2. Counted after parsing, as before: a malformed request costs the client no part of its minute.
      if (limits) await enforceRateLimit(limits.rateLimiter, event);
      // 3. The budget is cut to what the Lambda deadline leaves; a queued request only gets what is left of it.
      const run = (budgetMs: number) => withinBudget(budgetMs, context, () => handle(request, deps));
      const budgetMs = effectiveBudget(settings.requestBudgetMs, context);
      const response = limits ? await limits.concurrency.run(budgetMs, run) : await run(budgetMs);
      if (cache) signals.l1Bytes(cache.memoryBytes);
      return response;
    });
}

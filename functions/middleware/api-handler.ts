import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ClientRateLimiter } from '#adapters/rate-limit';
import type { Settings } from '#config/settings';
import type { ConcurrencyLimit } from '#middleware/concurrency-limit';
import { rateLimit } from '#middleware/rate-limit';
import { routeRequest, type RouteInput, type RoutedEvent } from '#middleware/route-request';
import type { RouteResponse } from '#middleware/route-response';
import type { RouteDefinition } from '#functions/routes/contract';
import { effectiveBudget, withinBudget } from '#middleware/time-budget';
import { signals } from '#observability/signals';
import { httpChain } from '#middleware/http-chain';

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

/** A route's use of its typed input (parsed from its route entry) and dependencies; its answer is checked against the entry. */
export type RouteHandler<R extends RouteDefinition, D> = (input: RouteInput<R>, deps: D) => Promise<RouteResponse<R>>;
export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiHandlerOptions<D> {
  dependencies: DependencySource<D>;
}

/**
 * Every route's Lambda handler is this chain, one concern per middleware:
 *   tracer → logger context → metrics flush → access log (metrics + the log line) → CORS →
 *   error mapping → bearer auth (unless the route entry says it is open) → the client's rate limit →
 *   parse the request from its route entry (routeRequest: path, query, headers, body → typed
 *   input) → the route's handler, in a slot of the instance's concurrency limit and within the time
 *   budget (both wrap the handler's call, which a middleware's before/after cannot).
 * The chain and the dependencies are built when the module loads (Lambda's init phase), so the
 * first request pays for nothing extra; a test that swaps the dependencies gets a chain built from its own.
 */
export function apiHandler<R extends RouteDefinition, D extends HttpDependencies>(
  route: R,
  handle: RouteHandler<R, D>,
  options: ApiHandlerOptions<D>,
): LambdaHandler {
  const { dependencies } = options;
  let current: { deps: D; chain: LambdaHandler } | undefined;
  const chainFor = (deps: D): LambdaHandler => {
    if (current?.deps !== deps) current = { deps, chain: buildChain(route, deps, handle) };
    return current.chain;
  };
  chainFor(dependencies.get());
  return (event, context) => chainFor(dependencies.get())(event, context);
}

function buildChain<R extends RouteDefinition, D extends HttpDependencies>(route: R, deps: D, handle: RouteHandler<R, D>): LambdaHandler {
  const { settings, limits, cache } = deps;
  const open = !route.authenticated;
  return (
    httpChain<RoutedEvent<R>>({ operation: route.operation, settings, exempt: () => open, traced: true })
      // Counted before parsing: every request of the client is one of its minute (API.md §8), and a flood of malformed
      // ones is turned away before its bodies are read.
      .use(rateLimit({ limiter: limits?.rateLimiter }))
      .use(routeRequest(route))
      .handler(async (event: RoutedEvent<R>, context: Context) => {
        const { input } = event;
        if (input === undefined) throw new Error('routeRequest did not run');
        // The budget is cut to what the Lambda deadline leaves; a queued request only gets what is left of it.
        const run = (budgetMs: number) => withinBudget(budgetMs, () => handle(input, deps));
        const budgetMs = effectiveBudget(settings.requestBudgetMs, context);
        const response = limits ? await limits.concurrency.run(budgetMs, run) : await run(budgetMs);
        if (cache) signals.l1Bytes(cache.memoryBytes);
        return response;
      }) as LambdaHandler
  );
}

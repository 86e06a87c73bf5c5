/**
 * The one route table: every entry by its operation. Each entry is a route's whole contract
 * (functions/routes/contract.ts says what one holds) and lives in functions/routes/<its handler>.ts
 * (the properties twins share hints/properties.ts), which its handler imports instead of this table,
 * so a function bundle carries its own route's schemas and no other's. From this table are derived:
 *   - the CDK stack (an API Gateway route, a Lambda function and its IAM role per entry),
 *   - the local server's routing (the same handler exports),
 *   - GET /api/openapi.json (functions/schemas/openapi.ts) and so the typed client (clients/typescript),
 *   - the e2e suites' check that every real answer matches what is documented for its status.
 */
import type { HttpMethod, RouteDefinition } from '#functions/routes/contract';
import { routeMatcher, type RouteMatch } from '#functions/routes/matcher';
import { DeleteExecution } from '#functions/routes/executions/delete-execution';
import { GetExecution } from '#functions/routes/executions/get-execution';
import { GetProperties, GetPropertiesCompat } from '#functions/routes/hints/properties';
import { GetSuggestions } from '#functions/routes/hints/get-suggestions';
import { GetSuggestionsCompat } from '#functions/routes/hints/get-suggestions-compat';
import { SearchVariables } from '#functions/routes/hints/search-variables';
import { ListReferences } from '#functions/routes/references/list-references';
import { Resolve } from '#functions/routes/references/resolve';
import { ValidateReferences } from '#functions/routes/references/validate-references';
import { Health } from '#functions/routes/service/health';
import { OpenApi } from '#functions/routes/service/openapi';
import { DeleteVariable } from '#functions/routes/variables/delete-variable';
import { GetVariable } from '#functions/routes/variables/get-variable';
import { ListVariables } from '#functions/routes/variables/list-variables';
import { StoreVariables } from '#functions/routes/variables/post-variables';
import { StoreVariable } from '#functions/routes/variables/put-variable';

export type { HeaderContract, HttpMethod, RouteDefinition } from '#functions/routes/contract';
export { ERROR_STATUS_HEADERS } from '#functions/routes/error-headers';

/** Every route by its operation: `ROUTE.StoreVariable` is that entry with its own types. In this order in the OpenAPI document. */
export const ROUTE = {
  StoreVariable,
  StoreVariables,
  ListVariables,
  GetVariable,
  DeleteVariable,
  GetExecution,
  DeleteExecution,
  GetSuggestions,
  SearchVariables,
  GetProperties,
  ValidateReferences,
  Resolve,
  ListReferences,
  GetSuggestionsCompat,
  GetPropertiesCompat,
  Health,
  OpenApi,
};

export type Operation = keyof typeof ROUTE;

/** The table in this order: the OpenAPI document, the stack and the local server all read it. */
export const ROUTES: readonly RouteDefinition[] = Object.values(ROUTE);

export { FALLBACK_ERRORS, FALLBACK_ROUTE } from '#functions/routes/fallback';

const matcher = routeMatcher(ROUTES);

export function matchRoute(method: string, path: string): RouteMatch<RouteDefinition> {
  return matcher.match(method, path);
}

/** Methods some route serves on this path (empty when no route has the path). */
export function allowedMethods(path: string): HttpMethod[] {
  return matcher.allowedMethods(path);
}

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
import type { ErrorCode } from '#domain/errors';
import type { HttpMethod, RouteDefinition } from '#functions/routes/contract';
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

/** Answers everything no route matches: 404 ROUTE_NOT_FOUND, 405 with Allow, CORS preflight. */
export const FALLBACK_ROUTE = { handler: 'service/fallback', operation: 'Fallback' } as const;

/** What the fallback can answer, whatever the path (documented once, under components.responses). */
export const FALLBACK_ERRORS: readonly ErrorCode[] = [
  'UNAUTHORIZED',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL_ERROR',
];

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

/** Static segments win over parameters, as in API Gateway (`/variables/validate` before `/variables/{name}`). */
const bySpecificity = [...compiled].sort((a, b) => a.names.length - b.names.length);

type RouteMatch =
  | { kind: 'matched'; route: RouteDefinition; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: HttpMethod[] }
  | { kind: 'not-found' };

export function matchRoute(method: string, path: string): RouteMatch {
  const allow = new Set<HttpMethod>();
  for (const { route, pattern, names } of bySpecificity) {
    const found = pattern.exec(path);
    if (!found) continue;
    if (route.method === method) {
      const pathParameters: Record<string, string> = {};
      names.forEach((name, i) => {
        pathParameters[name] = safeDecode(found[i + 1]);
      });
      return { kind: 'matched', route, pathParameters };
    }
    allow.add(route.method);
  }
  return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow].sort() } : { kind: 'not-found' };
}

/** Methods some route serves on this path (empty when no route has the path). */
export function allowedMethods(path: string): HttpMethod[] {
  return [...new Set(compiled.filter(({ pattern }) => pattern.test(path)).map(({ route }) => route.method))].sort();
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

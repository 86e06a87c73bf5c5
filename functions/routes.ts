/**
 * The one route table. The CDK stack makes an API Gateway route and a Lambda function from each
 * entry; the local server matches requests against the same entries and calls the same handler
 * exports, so the two can never drift.
 */
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path template; `{name}` is one path segment. */
  path: string;
  /** Module under functions/handlers/ (no extension) that exports `handler`. */
  handler: string;
  /** Metric and log name of the operation; also the function's logical id. */
  operation: string;
  /** Whether API_TOKEN (locally) or IAM (in AWS) protects the route. */
  authenticated: boolean;
  /** Lambda memory in MB; large-payload routes get more CPU with it. */
  memoryMb?: number;
}

const EXECUTION = '/api/v1/executions/{execution_id}';

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'PUT', path: `${EXECUTION}/variables/{variable_name}`, handler: 'variables/put-variable', operation: 'StoreVariable', authenticated: true, memoryMb: 1024 },
  { method: 'POST', path: `${EXECUTION}/variables`, handler: 'variables/post-variables', operation: 'StoreVariables', authenticated: true, memoryMb: 1024 },
  { method: 'GET', path: `${EXECUTION}/variables`, handler: 'variables/list-variables', operation: 'ListVariables', authenticated: true, memoryMb: 1024 },
  { method: 'GET', path: `${EXECUTION}/variables/{variable_name}`, handler: 'variables/get-variable', operation: 'GetVariable', authenticated: true, memoryMb: 1024 },
  { method: 'DELETE', path: `${EXECUTION}/variables/{variable_name}`, handler: 'variables/delete-variable', operation: 'DeleteVariable', authenticated: true },
  { method: 'GET', path: EXECUTION, handler: 'executions/get-execution', operation: 'GetExecution', authenticated: true },
  { method: 'DELETE', path: EXECUTION, handler: 'executions/delete-execution', operation: 'DeleteExecution', authenticated: true },
  { method: 'GET', path: `${EXECUTION}/variable-suggestions`, handler: 'hints/get-suggestions', operation: 'GetSuggestions', authenticated: true, memoryMb: 1024 },
  { method: 'GET', path: `${EXECUTION}/variable-suggestions/search`, handler: 'hints/search-variables', operation: 'SearchVariables', authenticated: true, memoryMb: 1024 },
  { method: 'GET', path: `${EXECUTION}/variables/{variable_name}/properties`, handler: 'hints/get-properties', operation: 'GetProperties', authenticated: true },
  { method: 'POST', path: `${EXECUTION}/variables/validate`, handler: 'references/validate-references', operation: 'ValidateReferences', authenticated: true },
  { method: 'POST', path: `${EXECUTION}/resolve`, handler: 'references/resolve', operation: 'Resolve', authenticated: true, memoryMb: 1024 },
  { method: 'GET', path: `${EXECUTION}/variable-references`, handler: 'references/list-references', operation: 'ListReferences', authenticated: true },
  { method: 'GET', path: '/api/health', handler: 'service/health', operation: 'Health', authenticated: false },
  { method: 'GET', path: '/api/openapi.json', handler: 'service/openapi', operation: 'OpenApi', authenticated: false },
];

/** Answers everything no route matches: 404 ROUTE_NOT_FOUND, 405 with Allow, CORS preflight. */
export const FALLBACK_ROUTE = { handler: 'service/fallback', operation: 'Fallback' } as const;

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

export type RouteMatch =
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

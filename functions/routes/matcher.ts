/** Finds the route of a request path, as API Gateway does: static segments win over `{parameters}`. */
import type { HttpMethod } from '#functions/routes/contract';
import type { RouteAddress } from '#functions/routes/addresses';

export type RouteMatch<R extends RouteAddress> =
  | { kind: 'matched'; route: R; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: HttpMethod[] }
  | { kind: 'not-found' };

interface CompiledRoute<R> {
  route: R;
  pattern: RegExp;
  names: string[];
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function routeMatcher<R extends RouteAddress>(routes: readonly R[]) {
  const compiled: CompiledRoute<R>[] = routes.map((route) => {
    const names: string[] = [];
    const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { route, pattern: new RegExp(`^${source}$`), names };
  });
  /** Static segments win over parameters, as in API Gateway (`/variables/validate` before `/variables/{name}`). */
  const bySpecificity = [...compiled].sort((a, b) => a.names.length - b.names.length);

  return {
    match(method: string, path: string): RouteMatch<R> {
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
    },
    /** Methods some route serves on this path (empty when no route has the path). */
    allowedMethods(path: string): HttpMethod[] {
      return [...new Set(compiled.filter(({ pattern }) => pattern.test(path)).map(({ route }) => route.method))].sort();
    },
  };
}

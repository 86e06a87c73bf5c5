/**
 * The e2e suites' JSON client, `api(baseUrl)` → `call(method, path, body?, headers?)`.
 *
 * Ordinary calls go through the typed client of clients/typescript (openapi-fetch): the concrete
 * path is matched to its route, and the route's template, path parameters, body and headers are
 * handed to the client, so every suite exercises it. A call the client could not send byte for byte
 * the same — no route, a hand-made body (a string, bytes), its own Content-Type, a path whose
 * segments are encoded unusually — is sent with plain fetch. Either way the answer is checked
 * against the documented contract for its status (./contract-check).
 */
import { createVariableServiceClient, type VariableServiceClient } from '@variable-service/client';
import { matchRoute } from '#functions/routes';
import { expectDocumentedAnswer } from './contract-check';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

const CLIENT_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE']);

function parsed(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The route template and parameters when the typed client would send exactly this request. */
function clientRequest(method: string, url: URL, urlPath: string, body: unknown, headers: Record<string, string>) {
  if (!CLIENT_METHODS.has(method)) return undefined;
  // A bare `?` (an empty query) or a fragment is not something the client would write.
  if ((urlPath.includes('?') && url.search === '') || urlPath.includes('#')) return undefined;
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) return undefined;
  if (body !== undefined && (typeof body !== 'object' || body === null || body instanceof Uint8Array)) return undefined;
  const match = matchRoute(method, url.pathname);
  if (match.kind !== 'matched') return undefined;
  const rebuilt = match.route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(match.pathParameters[name]));
  if (rebuilt !== url.pathname) return undefined;
  return { template: match.route.path, pathParameters: match.pathParameters };
}

/** A typed client for one request, which checks it sends exactly `expectedUrl` and keeps the answer's text. */
function clientFor(baseUrl: string, expectedUrl: string, bodies: WeakMap<Response, string>): VariableServiceClient {
  return createVariableServiceClient({
    baseUrl,
    fetch: async (request: Request) => {
      // The client must send what the test asked for; anything else is a bug of this helper.
      if (request.url !== expectedUrl) throw new Error(`typed client built ${request.url}, the test asked for ${expectedUrl}`);
      const response = await fetch(request);
      bodies.set(response, await response.clone().text());
      return response;
    },
  });
}

/** A fetch for a typed client whose every answer is contract-checked (what `ctx.client` uses). */
export async function checkedFetch(request: Request): Promise<Response> {
  const response = await fetch(request);
  const text = await response.clone().text();
  expectDocumentedAnswer(request.method, new URL(request.url).pathname, response.status, response.headers, text);
  return response;
}

export function api(baseUrl: string) {
  const bodies = new WeakMap<Response, string>();
  return async (method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> => {
    const url = new URL(`${baseUrl}${urlPath}`);
    const upper = method.toUpperCase();
    const viaClient = clientRequest(upper, url, urlPath, body, headers);
    let response: Response;
    let text: string;
    if (viaClient) {
      const client = clientFor(baseUrl, url.href, bodies);
      const send = (client as unknown as Record<string, (path: string, init: unknown) => Promise<{ response: Response }>>)[upper];
      ({ response } = await send(viaClient.template, {
        params: { path: viaClient.pathParameters },
        querySerializer: () => url.search.slice(1),
        headers,
        ...(body !== undefined ? { body } : {}),
        parseAs: 'text',
      }));
      text = bodies.get(response) ?? '';
    } else {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
        if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
          (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      response = await fetch(url, init);
      text = await response.text();
    }
    expectDocumentedAnswer(upper, url.pathname, response.status, response.headers, text);
    return { status: response.status, headers: response.headers, json: parsed(text), text };
  };
}

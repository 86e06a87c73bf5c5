/**
 * Typed client of the variable data-flow service. The types (./schema.d.ts) are generated from the
 * service's own OpenAPI document by `npm run generate:client`; every call goes through
 * openapi-fetch, so paths, parameters, bodies and answers are checked by the compiler:
 *
 *   const client = createVariableServiceClient({ baseUrl: 'http://127.0.0.1:3000' });
 *   const { data, error, response } = await client.GET('/api/v1/executions/{execution_id}/variable-suggestions', {
 *     params: { path: { execution_id: 'exec-1' }, query: { step_index: 3 } },
 *   });
 *
 * Works in Node 20+ and in browsers (bundle it with esbuild); it has no dependency beyond
 * openapi-fetch and the platform's fetch.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
/** The service's named schemas, e.g. `Schemas['VariableMetadata']`, `Schemas['Error']`. */
export type Schemas = components['schemas'];
export type VariableServiceClient = Client<paths>;

export interface VariableServiceClientOptions {
  /** Where the service is, e.g. `http://127.0.0.1:3000` or `''` for the page's own origin. */
  baseUrl: string;
  /** The bearer token (API_TOKEN) when the service requires one. */
  token?: string;
  /** `en` (default) or `zh`: the language of user_message, suggestions and validation texts. */
  language?: string;
  /** A fetch to use instead of the global one (tests, instrumentation). */
  fetch?: ClientOptions['fetch'];
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

export function createVariableServiceClient(options: VariableServiceClientOptions): VariableServiceClient {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.language !== undefined) headers['Accept-Language'] = options.language;
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** An answer's error body, when the service answered with its one error shape (API.md §2). */
export function isServiceError(body: unknown): body is Schemas['Error'] {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { success?: unknown }).success === false &&
    typeof (body as { error?: { code?: unknown } }).error?.code === 'string'
  );
}

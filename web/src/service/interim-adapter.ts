/**
 * INTERIM: the port over plain fetch until the repository's typed client (clients/typescript)
 * lands; replaced by ./typed-client-adapter then. Kept deliberately small.
 */
import { ServiceError, type ConnectionSettings, type HintsService } from './port';

export function createHintsService(settings: ConnectionSettings): HintsService {
  const call = async (method: string, path: string, query: Record<string, string>, body: unknown, signal: AbortSignal): Promise<any> => {
    const url = new URL(`${settings.baseUrl.replace(/\/$/, '')}/api/v1/executions/${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers: Record<string, string> = { 'Accept-Language': settings.language };
    if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ServiceError('unreachable', (error as Error).message);
    }
    const json = await response.json().catch(() => undefined);
    if (response.ok) return json;
    const kind = response.status === 503 || response.status === 504 ? 'unavailable' : 'http';
    throw new ServiceError(kind, json?.error?.message ?? `HTTP ${response.status}`, response.status, json?.error?.code, json?.user_message);
  };
  const e = encodeURIComponent;
  return {
    suggestions: (id, step, signal) => call('GET', `${e(id)}/variable-suggestions`, { step_index: String(step), include_properties: 'false' }, undefined, signal),
    search: async (id, step, q, signal) => (await call('GET', `${e(id)}/variable-suggestions/search`, { q, step_index: String(step), limit: '20' }, undefined, signal)).matches,
    properties: (id, path, signal) => call('GET', `${e(id)}/variables/${e(path)}/properties`, { max_depth: '1' }, undefined, signal),
    validate: async (id, step, references, signal) => (await call('POST', `${e(id)}/variables/validate`, {}, { references, step_index: step }, signal)).validation_results,
    resolve: (id, step, params, signal) => call('POST', `${e(id)}/resolve`, {}, { step_index: step, params, record: false }, signal),
  };
}

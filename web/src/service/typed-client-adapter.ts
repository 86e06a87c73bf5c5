/**
 * The port over the repository's typed client (clients/typescript: openapi-typescript types,
 * openapi-fetch calls): paths, parameters and answers are checked against the service's OpenAPI
 * document at compile time, and no URL is written by hand here.
 */
import { createVariableServiceClient, isServiceError } from '@variable-service/client';
import { ServiceError, type ConnectionSettings, type HintsService } from './port';

/** What openapi-fetch hands back: data on 2xx, the error body otherwise, and the response. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** 2xx → the body; the service's error shape → ServiceError; no answer at all → 'unreachable'. */
async function unwrap<T>(request: Promise<Answer<T>>, signal: AbortSignal): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ServiceError('unreachable', (error as Error).message);
  }
  if (answer.data !== undefined && answer.response.ok) return answer.data;
  const status = answer.response.status;
  const kind = status === 503 || status === 504 ? 'unavailable' : 'http';
  const body = answer.error;
  if (isServiceError(body)) throw new ServiceError(kind, body.error.message, status, body.error.code, body.user_message);
  throw new ServiceError(kind, `HTTP ${status}`, status);
}

export function createHintsService(settings: ConnectionSettings): HintsService {
  const client = createVariableServiceClient({
    baseUrl: settings.baseUrl,
    token: settings.token,
    language: settings.language,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const execution = (executionId: string) => ({ execution_id: executionId });
  return {
    suggestions: (executionId, stepIndex, signal) =>
      unwrap(
        client.GET('/api/v1/executions/{execution_id}/variable-suggestions', {
          // The menu lists names; properties come from the properties endpoint when drilled into.
          params: { path: execution(executionId), query: { step_index: stepIndex, include_properties: false } },
          signal,
        }),
        signal,
      ),
    search: async (executionId, stepIndex, query, signal) =>
      (
        await unwrap(
          client.GET('/api/v1/executions/{execution_id}/variable-suggestions/search', {
            params: { path: execution(executionId), query: { q: query, step_index: stepIndex, limit: 20 } },
            signal,
          }),
          signal,
        )
      ).matches,
    properties: (executionId, path, signal) =>
      unwrap(
        client.GET('/api/v1/executions/{execution_id}/variables/{variable_name}/properties', {
          params: { path: { execution_id: executionId, variable_name: path }, query: { max_depth: 1 } },
          signal,
        }),
        signal,
      ),
    validate: async (executionId, stepIndex, references, signal) =>
      (
        await unwrap(
          client.POST('/api/v1/executions/{execution_id}/variables/validate', {
            params: { path: execution(executionId) },
            body: { references, step_index: stepIndex },
            signal,
          }),
          signal,
        )
      ).validation_results,
    resolve: (executionId, stepIndex, params, signal) =>
      unwrap(
        client.POST('/api/v1/executions/{execution_id}/resolve', {
          params: { path: execution(executionId) },
          // record: false — a preview is not a run; it must leave no lineage behind.
          body: { step_index: stepIndex, params, record: false, strict: false },
          signal,
        }),
        signal,
      ),
  };
}

import { ApiError, serviceUnavailable } from '#domain/errors';
import type { JsonValue } from '#domain/json';
import type { VariableWrite } from '#domain/variable';

export const write = (name: string, value: JsonValue, step = 1, extra: Partial<VariableWrite> = {}): VariableWrite => ({
  variable_name: name,
  value,
  source_step_index: step,
  source_api_method: null,
  source_api_params: null,
  sensitive: false,
  ...extra,
});

/** What the database breaker throws while the database is down. */
export const databaseDown = (): ApiError => serviceUnavailable('test: database down');

export async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

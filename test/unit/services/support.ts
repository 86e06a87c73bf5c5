import { ApiError, serviceUnavailable } from '#domain/errors';

export { write } from '../../support/variable-write';

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

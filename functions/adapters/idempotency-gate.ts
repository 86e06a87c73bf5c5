import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { ApiError, RETRY_AFTER_SECONDS, serviceUnavailable } from '#domain/errors';
import type { DatabaseBreaker } from '#adapters/dynamo/database-breaker';

/** What an idempotent write remembers and returns again: the first 2xx response. */
export interface RememberedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
}

interface IdempotentRequest {
  /** Method, path (which names the execution) and the client's key. */
  scope: string;
  /** The parsed body; a repeat must send the same JSON. */
  body: unknown;
}

/**
 * `Idempotency-Key` on writes (API.md §2) with Powertools idempotency over a DynamoDB table:
 * the first 2xx answer is stored for an hour and returned for repeats with the same body;
 * failures are not remembered (the work throws, so Powertools deletes the in-progress record).
 */
export class IdempotencyGate {
  private readonly runOnce;
  private readonly config: IdempotencyConfig;

  constructor(
    client: DynamoDBClient,
    tableName: string,
    private readonly database: DatabaseBreaker,
  ) {
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
    const config = (this.config = new IdempotencyConfig({
      eventKeyJmesPath: 'scope',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: 3600,
      throwOnNoIdempotencyKey: true,
    }));
    this.runOnce = makeIdempotent(
      async (_request: IdempotentRequest, work: () => Promise<RememberedResponse>) => {
        const response = await work();
        if (response.statusCode >= 300) throw new NotRemembered(response);
        return response;
      },
      { persistenceStore, config, dataIndexArgument: 0 },
    );
  }

  async run(scope: string, body: unknown, context: Context, work: () => Promise<RememberedResponse>): Promise<RememberedResponse> {
    // Powertools calls DynamoDB itself; with the database's breaker open it would pay timeouts
    // that every other request is spared.
    if (this.database.isOpen) throw serviceUnavailable('circuit open');
    // An in-progress record expires with the invocation, so a crashed attempt does not block retries for an hour.
    this.config.registerLambdaContext(context);
    try {
      return await this.runOnce({ scope, body: body ?? null }, work);
    } catch (error) {
      if (error instanceof NotRemembered) return error.response;
      throw translate(error);
    }
  }
}

/** Carries a non-2xx answer out of Powertools so it is not stored, then back to the client. */
class NotRemembered extends Error {
  constructor(readonly response: RememberedResponse) {
    super('response not remembered');
  }
}

function translate(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  const name = (error as Error)?.name;
  if (name === 'IdempotencyValidationError') {
    return new ApiError('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key was already used with a different body', {});
  }
  if (name === 'IdempotencyAlreadyInProgressError') {
    return new ApiError(
      'REQUEST_IN_PROGRESS',
      'A request with this Idempotency-Key is still being processed',
      {},
      { 'Retry-After': RETRY_AFTER_SECONDS },
    );
  }
  if (name === 'IdempotencyPersistenceLayerError' || name === 'IdempotencyUnknownError') {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof ApiError ? cause : serviceUnavailable('idempotency store');
  }
  return error;
}

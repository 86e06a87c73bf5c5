import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Settings } from '#config/settings';
import { budgetSignal, RequestBudgetExpiredError } from '#config/request-scope';
import { recreateMissingTables } from '#adapters/dynamo/missing-tables';

export interface DynamoClientHooks {
  /** Called with the retries the SDK made for one call, so they can be counted. */
  onRetries(count: number): void;
}

/**
 * One DynamoDB client per execution environment. The SDK's standard retry mode backs off with
 * jitter; each attempt has its own timeout, so a dead endpoint costs a bounded time, not a hang.
 */
export function createDynamoClients(settings: Settings, hooks: DynamoClientHooks): { client: DynamoDBClient; documentClient: DynamoDBDocumentClient } {
  const local = settings.dynamoEndpoint !== undefined;
  const client = new DynamoDBClient({
    region: settings.region,
    endpoint: settings.dynamoEndpoint,
    maxAttempts: 3,
    retryMode: 'standard',
    // throwOnRequestTimeout: without it this SDK only warns when requestTimeout passes, and a hung endpoint hangs the call.
    requestHandler: { connectionTimeout: settings.dynamoCallTimeoutMs, requestTimeout: settings.dynamoCallTimeoutMs, throwOnRequestTimeout: true },
    // dynalite accepts any credentials; the real service takes them from the Lambda role.
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        const result = await next(args);
        const attempts = (result.output as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
        if (attempts > 1) hooks.onRetries(attempts - 1);
        return result;
      } catch (error) {
        const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
        if (attempts > 1) hooks.onRetries(attempts - 1);
        throw error;
      }
    },
    { step: 'initialize', name: 'countRetries' },
  );
  if (local) recreateMissingTables(client, settings);
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
  // Inside the retry loop: no attempt starts once the request has already answered 504.
  client.middlewareStack.add(
    (next) => async (args) => {
      if (budgetSignal()?.aborted) throw new RequestBudgetExpiredError();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'stopAfterRequestBudget' },
  );
  const liveness = new DatabaseLiveness();
  client.middlewareStack.add(
    (next, context) => async (args) => liveness.attempt(context, () => next(args)),
    { step: 'finalizeRequest', priority: 'low', name: 'noRetryIntoSilence' },
  );
  // Innermost, next to the wire: any HTTP answer, error statuses included, shows the database is there.
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      liveness.answered();
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'recordDatabaseAnswer' },
  );
  return { client, documentClient };
}

/** The database sent nothing while an attempt timed out: retrying would only wait again. */
export class DatabaseUnresponsiveError extends Error {
  constructor() {
    super('the database answered nothing while the last attempt timed out');
    this.name = 'DatabaseUnresponsiveError';
  }
}

/**
 * Tells a slow database from a silent one. Under load an attempt can time out while the database
 * keeps answering other calls: retrying is right. When an attempt timed out and no call of this
 * instance got any answer (even an error status) since it started, the database is hung or cut
 * off: a retry would cost another full timeout, so the call fails at once and the breaker sees it.
 * A hung database then costs a request one timeout, not three.
 */
class DatabaseLiveness {
  private lastAnswerAt = 0;
  /** Per call (the retry loop reuses the context for every attempt): when its last attempt started, if that attempt timed out. */
  private readonly timedOutAttempts = new WeakMap<object, number>();

  answered(): void {
    this.lastAnswerAt = Date.now();
  }

  async attempt<T>(context: object, send: () => Promise<T>): Promise<T> {
    const timedOutSince = this.timedOutAttempts.get(context);
    if (timedOutSince !== undefined && this.lastAnswerAt < timedOutSince) throw new DatabaseUnresponsiveError();
    const startedAt = Date.now();
    try {
      return await send();
    } catch (error) {
      if ((error as Error)?.name === 'TimeoutError') this.timedOutAttempts.set(context, startedAt);
      throw error;
    }
  }
}

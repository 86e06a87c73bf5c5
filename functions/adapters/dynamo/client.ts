import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Settings } from '#config/settings';
import { budgetSignal, RequestBudgetExpiredError } from '#config/request-scope';

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
  return { client, documentClient };
}

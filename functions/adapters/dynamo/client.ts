import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { bulkhead } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentSender } from '#adapters/dynamo/document-sender';
import type { Settings } from '#config/settings';
import { budgetSignal, RequestBudgetExpiredError } from '#services/request-budget-signal';
import { recreateMissingTables } from '#adapters/dynamo/missing-tables';

export interface DynamoClientHooks {
  /** Called with the retries the SDK made for one call, so they can be counted. */
  onRetries(count: number): void;
}

/** DynamoDB calls one request may have in flight at once (chunk reads and batch writes fan out this far). */
export const DATABASE_CALLS_PER_REQUEST = 8;

/**
 * One DynamoDB client per execution environment. The SDK's standard retry mode backs off with
 * jitter; each attempt has its own timeout, so a dead endpoint costs a bounded time, not a hang.
 *
 * The SDK starts an attempt's connection and request timers when it hands the request to its
 * HTTP agent, so a call queued behind the agent's sockets would time out on local saturation and
 * open the database breaker (API.md §8 forbids that). So: the agent has a socket for every call
 * the instance's concurrency limit lets run at once, and a bulkhead of exactly that many slots
 * sits in front of the wire: a call waits for a slot before its timers start, and that wait is
 * bounded by the request's budget, not counted as a database failure.
 */
export function createDynamoClients(
  settings: Settings,
  hooks: DynamoClientHooks,
): { client: DynamoDBClient; documentClient: DynamoDBDocumentClient } {
  const local = settings.dynamoEndpoint !== undefined;
  const sockets = settings.maxConcurrentRequests * DATABASE_CALLS_PER_REQUEST;
  const agentOptions = { keepAlive: true, maxSockets: sockets, maxFreeSockets: Math.min(sockets, 256) };
  const client = new DynamoDBClient({
    region: settings.region,
    endpoint: settings.dynamoEndpoint,
    maxAttempts: 3,
    retryMode: 'standard',
    // The middleware stack is resolved once per command class, not on every call (document-sender.ts).
    cacheMiddleware: true,
    // throwOnRequestTimeout: without it this SDK only warns when requestTimeout passes, and a hung endpoint hangs the call.
    requestHandler: {
      connectionTimeout: settings.dynamoCallTimeoutMs,
      requestTimeout: settings.dynamoCallTimeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    },
    // dynalite accepts any credentials; the real service takes them from the Lambda role.
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  // Per call these cost without helping a DynamoDB client (both showed in --cpu-prof of GET/PUT, load-tests/README.md "cost"):
  // the user agent is rebuilt and escaped on every call and only tells AWS which SDK called; recursion detection
  // stamps the Lambda trace id for services that can invoke a function again (SQS, SNS), which DynamoDB cannot.
  // The user agent step stays as a pass-through under its name: Powertools (idempotency, tracer) add theirs after it by name.
  client.middlewareStack.remove('getUserAgentMiddleware');
  client.middlewareStack.add((next) => (args) => next(args), { step: 'build', name: 'getUserAgentMiddleware' });
  client.middlewareStack.remove('recursionDetectionMiddleware');
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
  const documentClient = documentSender(client, {
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
  client.middlewareStack.add((next) => async (args) => liveness.attempt(callIdOf(args.request), () => next(args)), {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'noRetryIntoSilence',
  });
  // Per attempt, outside the SDK's timers: a free socket first (see above), released once the answer is read.
  const socketSlots = bulkhead(sockets, Number.MAX_SAFE_INTEGER);
  client.middlewareStack.add(
    (next) => async (args) => {
      const signal = budgetSignal();
      return socketSlots.execute(async () => {
        if (signal?.aborted) throw new RequestBudgetExpiredError();
        return next(args);
      });
    },
    { step: 'deserialize', priority: 'high', name: 'waitForSocketSlot' },
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

/**
 * Makes the first request pay nothing extra: one cheap call at init opens the (TLS) connection,
 * resolves credentials, region and endpoint, derives the SigV4 key and resolves the middleware
 * stack. Meant for Lambda's init phase (top-level `await` in an ESM handler). Never throws: a
 * database that is down at init is the first request's problem, answered as usual.
 */
export async function warmUp(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    // A key no item has (the health check reads the same kind): a read the function's role may already do.
    await client.send(new GetItemCommand({ TableName: tableName, Key: { execution_id: { S: '#warm-up' }, sk: { S: '#warm-up' } } }));
  } catch {
    // nothing to do: see above
  }
}

/**
 * One call's id across its attempts: the retry middleware sets `amz-sdk-invocation-id` once per
 * call, and each attempt's (re-signed) request carries it. Not the handler context: with
 * `cacheMiddleware` every call of a command class shares one context object.
 */
function callIdOf(request: unknown): string | undefined {
  return (request as { headers?: Record<string, string> })?.headers?.['amz-sdk-invocation-id'];
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
  /**
   * Per call id: when its last attempt started, if that attempt timed out (bounded: only timed-out calls are
   * kept, the oldest go first).
   */
  private readonly timedOutAttempts = new LRUCache<string, number>({ max: 4096 });

  answered(): void {
    this.lastAnswerAt = Date.now();
  }

  async attempt<T>(callId: string | undefined, send: () => Promise<T>): Promise<T> {
    if (callId === undefined) return send();
    const timedOutSince = this.timedOutAttempts.get(callId);
    if (timedOutSince !== undefined && this.lastAnswerAt < timedOutSince) throw new DatabaseUnresponsiveError();
    const startedAt = Date.now();
    try {
      const result = await send();
      if (timedOutSince !== undefined) this.timedOutAttempts.delete(callId);
      return result;
    } catch (error) {
      if ((error as Error)?.name === 'TimeoutError') this.timedOutAttempts.set(callId, startedAt);
      else if (timedOutSince !== undefined) this.timedOutAttempts.delete(callId);
      throw error;
    }
  }
}

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, warmUp } from '#adapters/dynamo/client';
import { DatabaseBreaker } from '#adapters/dynamo/database-breaker';
import { ExecutionGenerations } from '#adapters/dynamo/generations';
import { DynamoVariableStore } from '#adapters/dynamo/variable-store';
import type { Settings } from '#config/settings';
import { tracer } from '#observability/powertools';
import { signals } from '#observability/signals';
import { shared } from '#functions/composition/composition';
import { atInit } from '#functions/composition/init-work';
import { settings } from '#functions/composition/settings';

/** DynamoDB as every route uses it: one client, one breaker, the variables table. */
export interface Database {
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  breaker: DatabaseBreaker;
  generations: ExecutionGenerations;
  variableStore: DynamoVariableStore;
  retentionSeconds: number;
}

export function createDatabase(settings: Settings): Database {
  const breaker = new DatabaseBreaker({
    onStateChange: (state) => signals.breakerStateChange('database', state),
    onThrottle: () => signals.databaseThrottle(),
  });
  const { client, documentClient } = createDynamoClients(settings, { onRetries: (count) => signals.databaseRetries(count) });
  tracer?.captureAWSv3Client(client);
  const retentionSeconds = settings.retentionDays * 86_400;
  const generations = new ExecutionGenerations(
    documentClient,
    breaker,
    settings.variablesTable,
    settings.referencesTable,
    retentionSeconds,
  );
  const variableStore = new DynamoVariableStore(documentClient, breaker, settings.variablesTable, retentionSeconds, generations);
  return { client, documentClient, breaker, generations, variableStore, retentionSeconds };
}

export const sharedDatabase = shared(() => {
  const database = createDatabase(settings);
  // Connection, credentials, endpoint, SigV4 key and middleware stack ready before the first request (Lambda only),
  // with a read of a table the function's role may read (the stack names it: a refused read would count as a user error).
  const { warmUpTable } = settings;
  if (warmUpTable) atInit(() => warmUp(database.client, warmUpTable));
  return database;
});

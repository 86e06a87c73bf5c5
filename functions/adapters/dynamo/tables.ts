import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Settings } from '#config/settings';

/**
 * The tables as the local server and the tests create them. The CDK stack declares the same keys
 * (test/infra asserts them); in AWS the stack owns the tables and this is never called.
 */
export function tableDefinitions(
  settings: Settings,
): Array<{ name: string; partitionKey: string; sortKey?: string; ttlAttribute: string }> {
  return [
    { name: settings.variablesTable, partitionKey: 'execution_id', sortKey: 'sk', ttlAttribute: 'expires_at' },
    { name: settings.referencesTable, partitionKey: 'execution_id', sortKey: 'sk', ttlAttribute: 'expires_at' },
    { name: settings.idempotencyTable, partitionKey: 'id', ttlAttribute: 'expiration' },
  ];
}

export async function ensureTables(client: DynamoDBClient, settings: Settings): Promise<void> {
  for (const table of tableDefinitions(settings)) {
    try {
      await client.send(new DescribeTableCommand({ TableName: table.name }));
      continue;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException) && (error as Error).name !== 'ResourceNotFoundException') throw error;
    }
    const keys = [{ AttributeName: table.partitionKey, KeyType: 'HASH' as const }];
    const attributes = [{ AttributeName: table.partitionKey, AttributeType: 'S' as const }];
    if (table.sortKey) {
      keys.push({ AttributeName: table.sortKey, KeyType: 'RANGE' as never });
      attributes.push({ AttributeName: table.sortKey, AttributeType: 'S' });
    }
    try {
      await client.send(
        new CreateTableCommand({
          TableName: table.name,
          KeySchema: keys,
          AttributeDefinitions: attributes,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (error) {
      // Another worker may have created it between our describe and create.
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    }
    await waitUntilActive(client, table.name);
    // dynalite does not implement TTL; real DynamoDB does. Either way the table works.
    await client
      .send(
        new UpdateTimeToLiveCommand({
          TableName: table.name,
          TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
        }),
      )
      .catch(() => undefined);
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become active`);
}

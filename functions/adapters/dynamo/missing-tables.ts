import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Settings } from '#config/settings';
import { ensureTables } from '#adapters/dynamo/tables';

/**
 * For a DynamoDB given by DYNAMODB_ENDPOINT only (API.md §7: "the server creates its tables there
 * if they are missing"): an in-memory dynalite that restarted comes back empty, and without its
 * tables the service would answer 503 until someone restarted it too. A call that finds its table
 * missing has the tables created — once, by whichever call asks first — and then runs again.
 * In AWS the stack owns the tables and this is not installed.
 */
export function recreateMissingTables(client: DynamoDBClient, settings: Settings): void {
  let admin: DynamoDBClient | undefined;
  let creating: Promise<void> | undefined;
  const createTables = (): Promise<void> => {
    // A client of its own: table management must not pass through this middleware again.
    admin ??= new DynamoDBClient({
      endpoint: settings.dynamoEndpoint,
      region: settings.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    creating ??= ensureTables(admin, settings).finally(() => {
      creating = undefined;
    });
    return creating;
  };
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if ((error as Error)?.name !== 'ResourceNotFoundException') throw error;
        await createTables();
        return next(args);
      }
    },
    { step: 'initialize', name: 'recreateMissingTables' },
  );
}

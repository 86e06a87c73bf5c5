import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables } from '#adapters/dynamo/tables';
import { readSettings, type Settings } from '#config/settings';

export interface TestDatabase {
  endpoint: string;
  settings: Settings;
  close(): Promise<void>;
}

/** dynalite in this test process, in memory, with the service's tables created. */
export async function startTestDatabase(overrides: Partial<Settings> = {}): Promise<TestDatabase> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const dynalite = require('dynalite');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settings: Settings = { ...readSettings({}), dynamoEndpoint: endpoint, ...overrides };
  const admin = new DynamoDBClient({ endpoint, region: settings.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTables(admin, settings);
  admin.destroy();
  return { endpoint, settings, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

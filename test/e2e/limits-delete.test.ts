/**
 * DELETE of a large execution (API.md §5, §8): it answers within its budget (202 `deleting` here:
 * REQUEST_BUDGET_MS=3000 leaves 750 ms for 20,000 records to purge inline), is empty for every reader from the answer
 * on, a write made after it starts a fresh execution that the purge never touches, a bystander
 * writing to another execution meanwhile succeeds, and the purge finishes by itself. The server
 * runs against a dynalite this test owns (DYNAMODB_ENDPOINT), so the test can watch the purge in
 * the tables themselves.
 */
import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { freePort, startLocalServer, type LocalServer } from '../support/local-server';
import { api } from '../support/local-server';
import { executionPath, newExecutionId, sleep, variablePath, variablesPath } from './support';

jest.setTimeout(180_000);

const RECORDS = 20_000;
let dynalite: Server;
let server: LocalServer;
let documents: DynamoDBDocumentClient;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  const port = await freePort();
  dynalite = (require('dynalite') as (options: Record<string, unknown>) => Server)({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve) => dynalite.listen(port, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  server = await startLocalServer({ DYNAMODB_ENDPOINT: endpoint, REQUEST_BUDGET_MS: '3000' });
  call = api(server.baseUrl);
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
}, 90_000);
afterAll(async () => {
  await server?.stop();
  documents?.destroy();
  await new Promise((resolve) => dynalite?.close(resolve));
});

/** Sort keys of one table partition, as stored. */
async function keysIn(table: string, partition: string): Promise<string[]> {
  const keys: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'execution_id = :p',
        ExpressionAttributeValues: { ':p': partition },
        ProjectionExpression: 'sk',
        ExclusiveStartKey: startKey,
      }),
    );
    keys.push(...(page.Items ?? []).map((item) => item.sk as string));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return keys;
}

it('answers 202 at once, is empty for every reader, keeps a later write, spares a bystander and finishes by itself', async () => {
  const executionId = newExecutionId('big-delete');
  expect(
    (
      await call('POST', variablesPath(executionId), {
        variables: Array.from({ length: 50 }, (_, i) => ({ variable_name: `v${i}`, value: { i }, source_step_index: 0 })),
      })
    ).status,
  ).toBe(200);
  // Real lineage from the API, then copied under new keys straight into the table: seeding 20,000
  // records through resolve would measure the machine's load, not the delete.
  const resolved = await call('POST', `${executionPath(executionId)}/resolve`, {
    step_index: 1,
    params: Array.from({ length: 100 }, (_, i) => `\${v${i % 50}}`),
  });
  expect(resolved.status).toBe(200);
  const { Items: records = [] } = await documents.send(
    new QueryCommand({
      TableName: 'variable_references',
      KeyConditionExpression: 'execution_id = :p',
      ExpressionAttributeValues: { ':p': executionId },
    }),
  );
  expect(records).toHaveLength(100);
  const copies = Array.from({ length: RECORDS - 100 }, (_, i) => ({ ...records[i % 100], sk: `${records[i % 100].sk}#copy${i}` }));
  for (let i = 0; i < copies.length; i += 25) {
    await documents.send(
      new BatchWriteCommand({ RequestItems: { variable_references: copies.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
    );
  }
  expect((await keysIn('variable_references', executionId)).length).toBe(RECORDS);

  const deleted = await call('DELETE', executionPath(executionId));
  expect(deleted.status).toBe(202);
  expect(deleted.json).toEqual({ execution_id: executionId, status: 'deleting' });

  // Empty for every reader from the answer on.
  const summary = await call('GET', executionPath(executionId));
  expect(summary.json).toMatchObject({
    variables_count: 0,
    references_count: 0,
    failed_references_count: 0,
    variables: [],
    recent_references: [],
  });
  expect((await call('GET', variablesPath(executionId))).json.variables).toEqual([]);
  expect((await call('GET', `${executionPath(executionId)}/variable-references`)).json.references).toEqual([]);
  expect((await call('GET', variablePath(executionId, 'v1'))).status).toBe(404);

  // A write after the delete starts afresh; the purge must never touch it.
  const fresh = await call('PUT', variablePath(executionId, 'v1'), { value: 'fresh', source_step_index: 9 });
  expect(fresh.status).toBe(201);
  expect(fresh.json.version).toBe(1);
  expect((await call('POST', `${executionPath(executionId)}/resolve`, { step_index: 10, text: 'x ${v1}' })).status).toBe(200);

  // A bystander writing to another execution while the purge runs.
  const other = newExecutionId('bystander');
  for (let i = 0; i < 5; i += 1) {
    expect((await call('PUT', variablePath(other, `b${i}`), { value: i, source_step_index: 0 })).status).toBe(201);
    expect((await call('GET', variablePath(other, `b${i}`))).status).toBe(200);
  }

  // The purge finishes by itself: the retired partition holds nothing but the version item / lineage marker.
  const deadline = Date.now() + 120_000;
  let left = Infinity;
  while (Date.now() < deadline) {
    left =
      (await keysIn('variable_references', executionId)).filter((sk) => sk !== '#GENERATION').length +
      (await keysIn('variables', executionId)).filter((sk) => sk !== '#DATA_VERSION').length;
    if (left === 0) break;
    await sleep(500);
  }
  expect(left).toBe(0);
  expect((await call('GET', variablePath(executionId, 'v1'))).json.value).toBe('fresh');
  const after = await call('GET', executionPath(executionId));
  expect(after.json).toMatchObject({ variables_count: 1, references_count: 1 });

  // Idempotent: deleting the now small execution is a plain 204.
  expect((await call('DELETE', executionPath(executionId))).status).toBe(204);
  expect((await call('DELETE', executionPath(executionId))).status).toBe(204);
  expect((await call('GET', executionPath(executionId))).json.variables_count).toBe(0);
});

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { write as variableWrite } from '../../support/variable-write';
import { DatabaseBreaker } from '#adapters/dynamo/database-breaker';
import { ExecutionGenerations } from '#adapters/dynamo/generations';
import { DynamoVariableStore } from '#adapters/dynamo/variable-store';

/**
 * Under load an attempt of a PUT can time out after DynamoDB applied it; the SDK's retry is then
 * refused by the write's own rev. If another write replaced the head in between, the PUT still
 * succeeded — without If-Match it must not answer 412 (seen in `npm run load -- cost`: batches of
 * 10 at 100 connections). With If-Match a refusal stays a mismatch.
 */
function storeWhoseHeadWasReplaced(currentVersion: number) {
  const sent: string[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: { Key?: { sk?: string } } }) {
      const name = command.constructor.name;
      sent.push(name);
      if (name === 'UpdateCommand' && command.input.Key?.sk !== '#DATA_VERSION')
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      if (name === 'GetCommand' && command.input.Key?.sk === '#DATA_VERSION') return { Item: { rev: 'r0', generation: 0 } };
      if (name === 'GetCommand')
        return { Item: { rev: 'someone-else', version: currentVersion, created_at: '2026-01-01T00:00:00.000Z', chunks: 0 } };
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  const breaker = new DatabaseBreaker({ onStateChange: () => undefined, onThrottle: () => undefined });
  const generations = new ExecutionGenerations(client, breaker, 'variables', 'references', 86_400);
  return { store: new DynamoVariableStore(client, breaker, 'variables', 86_400, generations), sent };
}

const write = variableWrite('v', { a: 1 });

describe('a PUT whose applied attempt was retried after another write replaced it', () => {
  it('succeeds without If-Match, with a version below the current one', async () => {
    const { store } = storeWhoseHeadWasReplaced(7);
    const result = await store.putVariable('e1', write, { now: '2026-01-02T00:00:00.000Z' });
    expect(result.created).toBe(false);
    expect(result.metadata.version).toBe(6);
    expect(result.metadata.created_at).toBe('2026-01-01T00:00:00.000Z');
  });

  it('is still a version mismatch with If-Match', async () => {
    const { store } = storeWhoseHeadWasReplaced(7);
    await expect(store.putVariable('e1', write, { now: '2026-01-02T00:00:00.000Z', expectedVersion: 3 })).rejects.toMatchObject({
      code: 'VERSION_MISMATCH',
    });
  });
});

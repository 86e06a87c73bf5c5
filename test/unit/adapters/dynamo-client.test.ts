import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { addUserAgentMiddleware } from '@aws-lambda-powertools/commons';
import { monotonicFactory } from 'ulid';
import fc from 'fast-check';
import { createDynamoClients } from '#adapters/dynamo/client';
import { pooledRandom } from '#adapters/dynamo/pooled-random';
import { readSettings } from '#config/settings';

/**
 * The DynamoDB client without the per-call middleware that only costs (user agent, recursion
 * detection) still signs, retries and answers — and Powertools can still hang its own user
 * agent middleware after the SDK's by name (idempotency and the tracer do; a missing name broke
 * every call once).
 */
describe('createDynamoClients', () => {
  let server: Server;
  let seen: IncomingHttpHeaders[];
  let failFirst: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        seen.push(request.headers);
        if (failFirst > 0) {
          failFirst -= 1;
          response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
          response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'try again' }));
          return;
        }
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ Item: { execution_id: { S: 'e' }, sk: { S: 'k' } } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    seen = [];
    failFirst = 0;
  });

  function clients() {
    const { port } = server.address() as AddressInfo;
    const retries: number[] = [];
    const settings = { ...readSettings({}), dynamoEndpoint: `http://127.0.0.1:${port}`, region: 'us-east-1' };
    const built = createDynamoClients(settings, { onRetries: (count) => retries.push(count) });
    return { ...built, retries };
  }

  it('sends signed requests without the SDK user agent or a trace header, and Powertools can add its user agent', async () => {
    const { client } = clients();
    addUserAgentMiddleware(client, 'idempotency');
    // As in Lambda: recursion detection would copy this trace id onto the request.
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'GetVariable';
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1';
    const output = await client
      .send(new GetItemCommand({ TableName: 't', Key: { execution_id: { S: 'e' }, sk: { S: 'k' } } }))
      .finally(() => {
        delete process.env.AWS_LAMBDA_FUNCTION_NAME;
        delete process.env._X_AMZN_TRACE_ID;
      });
    expect(output.Item?.sk).toEqual({ S: 'k' });
    expect(seen).toHaveLength(1);
    expect(seen[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/dynamodb\/aws4_request/);
    expect(seen[0]['x-amz-user-agent']).toBeUndefined();
    expect(seen[0]['user-agent']).toMatch(/^PT\/idempotency\//);
    expect(seen[0]['x-amzn-trace-id']).toBeUndefined();
    client.destroy();
  });

  it('still retries a 500 and counts the retries', async () => {
    const { client, retries } = clients();
    failFirst = 2;
    const output = await client.send(new GetItemCommand({ TableName: 't', Key: { execution_id: { S: 'e' }, sk: { S: 'k' } } }));
    expect(output.$metadata.attempts).toBe(3);
    expect(seen).toHaveLength(3);
    expect(retries).toEqual([2]);
    client.destroy();
  });
});

describe('pooledRandom', () => {
  it('gives values in [0, 1) with ulid ids that stay unique and ordered', () => {
    const next = monotonicFactory(pooledRandom);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 300 }), (times) => {
        const sorted = [...times].sort((a, b) => a - b);
        const ids = sorted.map((time) => next(time + 1_700_000_000_000));
        for (let i = 1; i < ids.length; i += 1) expect(ids[i] > ids[i - 1]).toBe(true);
      }),
    );
    for (let i = 0; i < 10_000; i += 1) {
      const value = pooledRandom();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

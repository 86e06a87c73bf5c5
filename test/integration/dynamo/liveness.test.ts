/**
 * A hung database (SIGSTOP, a black-holed route) against a slow one: an attempt that timed out is
 * retried only if the database answered something meanwhile. The fake endpoint below counts what
 * reaches it, so the test asserts attempts, not time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDependencies } from '../../support/wired-dependencies';
import { readSettings } from '#config/settings';

interface FakeDatabase {
  server: Server;
  endpoint: string;
  /** Execution ids of the GetItem requests received, in order. */
  received: string[];
}

/** Answers GetItem with "no item", except that it never answers the requests `hang` picks. */
async function fakeDatabase(hang: (executionId: string, seen: number) => boolean): Promise<FakeDatabase> {
  const received: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Key?: { execution_id?: { S?: string } } };
      const executionId = body.Key?.execution_id?.S ?? '';
      const seen = received.filter((id) => id === executionId).length;
      received.push(executionId);
      if (hang(executionId, seen)) return; // never answered, as a stopped process would not
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function storeAgainst(hang: (executionId: string, seen: number) => boolean) {
  const fake = await fakeDatabase(hang);
  servers.push(fake.server);
  const deps = createDependencies({ ...readSettings({}), dynamoEndpoint: fake.endpoint, dynamoCallTimeoutMs: 300 });
  return { fake, store: deps.variableStore };
}

describe('retries after a timed-out attempt', () => {
  it('a silent database gets one attempt, not three, and the call is SERVICE_UNAVAILABLE', async () => {
    const { fake, store } = await storeAgainst(() => true);
    await expect(store.getVariable('silent', 'v')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(fake.received).toEqual(['silent']);
  });

  it('a slow database that keeps answering other calls is retried, and the retry succeeds', async () => {
    const { fake, store } = await storeAgainst((executionId, seen) => executionId === 'slow' && seen === 0);
    const slow = store.getVariable('slow', 'v');
    // Other calls of this instance get answers while the first attempt waits for its timeout.
    let done = false;
    void slow.finally(() => {
      done = true;
    });
    while (!done) {
      await store.getVariable('busy', 'v');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await expect(slow).resolves.toBeUndefined();
    // The version item's read (which says where the execution's data lives) hung once and was
    // retried once; the head's read then got its answer at once.
    expect(fake.received.filter((id) => id === 'slow')).toEqual(['slow', 'slow', 'slow']);
  });
});

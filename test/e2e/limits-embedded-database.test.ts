/**
 * The embedded database of `npm start` is supervised (API.md §8): an upload aborted mid-body no
 * longer kills dynalite, and when dynalite dies anyway (kill -9) it is restarted on the same data
 * while requests answer 503 SERVICE_UNAVAILABLE with Retry-After, never hang.
 */
import { readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { startLocalServer, temporaryDataDir, type LocalServer } from '../support/local-server';
import { sendOnFreshConnection } from '../support/fresh-connection';
import { newExecutionId, sleep, variablePath } from './support';

jest.setTimeout(120_000);

let server: LocalServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = temporaryDataDir();
  server = await startLocalServer({ STORAGE: '', DATA_DIR: dataDir });
}, 90_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The pid of the dynalite child process (a descendant of the server running dynamodb-process). */
function dynalitePid(): number | undefined {
  const children = (pid: number): number[] => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const queue = [server.process.pid!];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    for (const child of children(pid)) {
      if (readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('dynamodb-process')) return child;
      queue.push(child);
    }
  }
  return undefined;
}

function dynalitePort(): number {
  const match = /embedded DynamoDB \(dynalite\) at http:\/\/127\.0\.0\.1:(\d+)/.exec(server.output());
  if (!match) throw new Error(`no dynalite endpoint in the server output:\n${server.output()}`);
  return Number(match[1]);
}

/** Starts a BatchWriteItem upload of 1 MB, sends part of it and resets the connection. */
function abortedUpload(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.write(
        'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: ' +
          'DynamoDB_20120810.BatchWriteItem\r\nContent-Length: 1000000\r\n\r\n',
      );
      socket.write(`{"RequestItems":{"variables":[${'{'.repeat(50_000)}`, () =>
        setTimeout(() => {
          socket.resetAndDestroy();
          resolve();
        }, 100),
      );
    });
    socket.on('error', reject);
  });
}

it('an aborted upload leaves the database running', async () => {
  const executionId = newExecutionId('abort');
  const before = dynalitePid();
  expect(before).toBeDefined();
  await abortedUpload(dynalitePort());
  await sleep(500);
  expect(dynalitePid()).toBe(before);
  const put = await sendOnFreshConnection(server.baseUrl, 'PUT', variablePath(executionId, 'v'), {
    value: 'still here',
    source_step_index: 0,
  });
  expect(put.status).toBe(201);
});

it('a database killed with SIGKILL is restarted on the same data; meanwhile requests answer 503 with Retry-After at once', async () => {
  const executionId = newExecutionId('restart');
  expect(
    (await sendOnFreshConnection(server.baseUrl, 'PUT', variablePath(executionId, 'kept'), { value: { n: 1 }, source_step_index: 0 }))
      .status,
  ).toBe(201);
  const victim = dynalitePid()!;
  process.kill(victim, 'SIGKILL');

  const statuses: number[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const reply = await sendOnFreshConnection(server.baseUrl, 'GET', variablePath(executionId, 'kept'), undefined, 10_000);
    statuses.push(reply.status);
    if (reply.status === 503) {
      expect(reply.headers['retry-after']).toBe('1');
      expect(reply.json.error.code).toBe('SERVICE_UNAVAILABLE');
    } else {
      expect(reply.status).toBe(200);
      expect(reply.json.value).toEqual({ n: 1 });
      break;
    }
    if (Date.now() > deadline) throw new Error(`not back within 60 s: ${statuses.join(',')}`);
    await sleep(200);
  }
  const restarted = dynalitePid();
  expect(restarted).toBeDefined();
  expect(restarted).not.toBe(victim);
  expect(server.output()).toMatch(/embedded DynamoDB exited .*restarting it on the same data and port/);
  // A bystander write works again.
  expect(
    (await sendOnFreshConnection(server.baseUrl, 'PUT', variablePath(executionId, 'after'), { value: 2, source_step_index: 1 })).status,
  ).toBe(201);
});

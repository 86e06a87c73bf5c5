import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';

export interface EmbeddedDynamoDb {
  endpoint: string;
  close(): Promise<void>;
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * dynalite throws from its request `error` listener, so a client that aborts an upload mid-body
 * (an SDK attempt timing out on a large BatchWrite) would kill the database. Each request's
 * `error` listener is replaced by one that drops that request's response only.
 */
function guardAbortedRequests(server: Server): void {
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const on = request.on.bind(request);
    request.on = ((event: string, listener: (...args: unknown[]) => void) =>
      event === 'error' ? on('error', () => response.destroy()) : on(event, listener)) as typeof request.on;
    for (const handler of handlers) handler(request, response);
  });
}

/**
 * dynalite in this process: persisted under `dataDir` (LevelDB) or kept in memory, on `port` (0 =
 * any free one). Closing it closes LevelDB cleanly, so nothing acknowledged is lost at shutdown.
 */
export async function startEmbeddedDynamoDb(dataDir: string | undefined, port = 0): Promise<EmbeddedDynamoDb> {
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server & { close(cb?: (error?: Error) => void): void };
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  guardAbortedRequests(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface SupervisionHooks {
  /** A line for the operator's terminal. */
  log(message: string): void;
  /** After a restart (e.g. to create the tables again when the data was only in memory). */
  restarted(endpoint: string): Promise<void>;
}

/** Restart attempts of a database that died: quick at first, then every 2 s, for about a minute. */
const restartPolicy = retry(handleAll, { maxAttempts: 30, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }) });

/**
 * The embedded database in a child process (see dynamodb-process.ts), supervised: if it dies, it
 * is started again on the same data and the same port (the workers keep their endpoint). Until it
 * answers again, calls are refused at once, so requests answer 503 SERVICE_UNAVAILABLE with
 * Retry-After rather than hang, and the database breaker closes again by itself afterwards.
 */
export async function forkEmbeddedDynamoDb(dataDir: string | undefined, hooks?: SupervisionHooks): Promise<EmbeddedDynamoDb> {
  const { fork } = await import('node:child_process');
  type Child = ReturnType<typeof fork>;
  let closing = false;
  let port = 0;

  const spawnChild = async (): Promise<{ child: Child; endpoint: string }> => {
    const child = fork(require.resolve('./dynamodb-process'), [], {
      env: { ...process.env, EMBEDDED_DATA_DIR: dataDir ?? '', EMBEDDED_PORT: String(port) },
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: { endpoint?: string }) =>
        message.endpoint ? resolve(message.endpoint) : reject(new Error('no endpoint')),
      );
      child.once('exit', (code) => reject(new Error(`embedded DynamoDB exited with code ${code}`)));
    });
    return { child, endpoint };
  };

  let current = await spawnChild();
  port = Number(new URL(current.endpoint).port);

  const watch = (child: Child): void => {
    child.once('exit', (code, signal) => {
      if (closing) return;
      hooks?.log(`embedded DynamoDB exited (${signal ?? `code ${code}`}); restarting it on the same data and port`);
      restartPolicy
        .execute(async () => {
          if (closing) return;
          current = await spawnChild();
          watch(current.child);
          await hooks?.restarted(current.endpoint);
          hooks?.log(`embedded DynamoDB is back at ${current.endpoint}`);
        })
        .catch((error: unknown) => hooks?.log(`embedded DynamoDB could not be restarted: ${(error as Error).message}`));
    });
  };
  watch(current.child);

  return {
    endpoint: current.endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        const { child } = current;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface EmbeddedDynamoDb {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * dynalite in this process: persisted under `dataDir` (LevelDB) or kept in memory. Closing it
 * closes LevelDB cleanly, so nothing acknowledged is lost at shutdown.
 */
export async function startEmbeddedDynamoDb(dataDir: string | undefined): Promise<EmbeddedDynamoDb> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => import('node:http').Server & { close(cb?: (error?: Error) => void): void };
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The embedded database in a child process (see dynamodb-process.ts). */
export async function forkEmbeddedDynamoDb(dataDir: string | undefined): Promise<EmbeddedDynamoDb> {
  const { fork } = await import('node:child_process');
  const child = fork(require.resolve('./dynamodb-process'), [], {
    env: { ...process.env, EMBEDDED_DATA_DIR: dataDir ?? '' },
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { endpoint?: string }) => (message.endpoint ? resolve(message.endpoint) : reject(new Error('no endpoint'))));
    child.once('exit', (code) => reject(new Error(`embedded DynamoDB exited with code ${code}`)));
  });
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A dynalite this test process owns, so a test can take the database away under a running server
 * (API.md §6: suggestions turn "basic", validate "syntax_only") without touching the server.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { freePort } from '../../support/local-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface ExternalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startExternalDynamo(): Promise<ExternalDynamo> {
  const port = await freePort();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

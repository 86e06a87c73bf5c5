/**
 * A dynalite this test process owns, so a test can take the database away under a running server
 * (API.md §6) without touching the server: stop it, and start it again on the same port and data
 * directory to bring the same database back.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { freePort } from './local-server';

const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface ExternalDynamo {
  endpoint: string;
  port: number;
  /** Closes the listener and every open connection (clients see resets, as when a database dies). */
  stop(): Promise<void>;
}

/** `port` (default: a free one) and `path` (default: in memory) let a restart bring back the same database. */
export async function startExternalDynamo(options: { port?: number; path?: string } = {}): Promise<ExternalDynamo> {
  const port = options.port ?? (await freePort());
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
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
    port,
    stop: async () => {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setImmediate as afterPendingIo } from 'node:timers/promises';

/** The listener stays open until no connection has arrived for this long… */
const ACCEPT_QUIET_MS = 300;
/** …but at least this long after the stop signal, and at most this long. */
const ACCEPT_MIN_MS = 500;
const ACCEPT_MAX_MS = 3000;
/** A keep-alive connection idle this long after its last answer is closed: its client is not sending. */
const IDLE_GRACE_MS = 1000;
/** Whatever is still open then is cut. */
const FORCE_CLOSE_MS = 10_000;
const POLL_MS = 100;

interface ConnectionState {
  activeRequests: number;
  servedAny: boolean;
  idleSince: number;
}

export interface GracefulDrain {
  /** True once a stop began: answers then carry `Connection: close`. */
  readonly draining: boolean;
  /** Stops taking work without cutting any request that was already sent. */
  close(): Promise<void>;
}

/**
 * Drains an HTTP server without resetting requests that were already on their way:
 *  1. keeps accepting while connections keep arriving (closing a listener resets whatever waits in
 *     its accept queue), answering them with `Connection: close`;
 *  2. stops listening, answers every request in progress;
 *  3. closes keep-alive connections only after they have been idle for a while, and never a
 *     connection whose first request has not been read yet — under load that is not idleness;
 *  4. cuts what is left after 10 s.
 * http.Server#close and closeIdleConnections would treat a just-accepted connection as idle.
 */
export function gracefulDrain(server: Server): GracefulDrain {
  const connections = new Map<Socket, ConnectionState>();
  let draining = false;
  let lastConnectionAt = 0;

  server.on('connection', (socket: Socket) => {
    lastConnectionAt = Date.now();
    connections.set(socket, { activeRequests: 0, servedAny: false, idleSince: Date.now() });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (request, response) => {
    const state = connections.get(request.socket);
    if (draining) response.setHeader('Connection', 'close');
    if (!state) return;
    state.activeRequests += 1;
    state.servedAny = true;
    response.once('close', () => {
      state.activeRequests -= 1;
      state.idleSince = Date.now();
    });
  });

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  async function waitForQuietAcceptQueue(startedAt: number): Promise<void> {
    for (;;) {
      await sleep(POLL_MS);
      // A timer can fire before the poll phase that accepts pending connections; look after it.
      await afterPendingIo();
      const now = Date.now();
      if (now - startedAt >= ACCEPT_MAX_MS) return;
      if (now - startedAt >= ACCEPT_MIN_MS && now - lastConnectionAt >= ACCEPT_QUIET_MS) return;
    }
  }

  function closeIdleKeepAliveConnections(): void {
    const now = Date.now();
    for (const [socket, state] of connections) {
      if (state.activeRequests === 0 && state.servedAny && now - state.idleSince >= IDLE_GRACE_MS) socket.destroy();
    }
  }

  return {
    get draining() {
      return draining;
    },
    async close() {
      const startedAt = Date.now();
      draining = true;
      await waitForQuietAcceptQueue(startedAt);
      await new Promise<void>((resolve) => {
        NetServer.prototype.close.call(server, () => resolve());
        const sweep = setInterval(closeIdleKeepAliveConnections, POLL_MS);
        sweep.unref();
        server.once('close', () => clearInterval(sweep));
        setTimeout(
          () => {
            clearInterval(sweep);
            for (const socket of connections.keys()) socket.destroy();
          },
          Math.max(0, FORCE_CLOSE_MS - (Date.now() - startedAt)),
        ).unref();
      });
    },
  };
}

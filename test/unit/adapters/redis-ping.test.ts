/**
 * The Health function's own Redis PING (adapters/cache/redis-ping.ts): resolves on +PONG, sends AUTH
 * first when the URL has credentials, rejects on an error reply, a refused or closed connection, and
 * when no answer comes within its timeout. Against small RESP servers of the test's own, and once
 * against a real redis-server.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { pingRedis } from '#adapters/cache/redis-ping';
import { freePort } from '../../support/local-server';
import { startRedisServer } from '../../support/redis-server';

/** A server answering each complete RESP command with `answer(command)` (undefined: stay silent). */
async function respServer(
  answer: (command: string[]) => string | undefined,
): Promise<{ url: string; received: string[][]; close(): Promise<void> }> {
  const received: string[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString();
      // Commands are written whole by the client under test: split into RESP arrays of bulk strings.
      for (let match = /^\*(\d+)\r\n/.exec(pending); match; match = /^\*(\d+)\r\n/.exec(pending)) {
        const parts = pending.slice(match[0].length).split('\r\n');
        const count = Number(match[1]);
        if (parts.length < count * 2 + 1) return;
        const command = Array.from({ length: count }, (_, i) => parts[i * 2 + 1]);
        pending = parts.slice(count * 2).join('\r\n');
        received.push(command);
        const reply = answer(command);
        if (reply !== undefined) socket.write(reply);
      }
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('pingRedis', () => {
  it('resolves with a round trip when Redis answers PONG, and sends nothing but PING', async () => {
    const server = await respServer(() => '+PONG\r\n');
    try {
      expect(await pingRedis(server.url)).toBeGreaterThanOrEqual(0);
      expect(server.received).toEqual([['PING']]);
    } finally {
      await server.close();
    }
  });

  it('authenticates first with the credentials of the URL', async () => {
    const server = await respServer((command) => (command[0] === 'AUTH' ? '+OK\r\n' : '+PONG\r\n'));
    try {
      await pingRedis(server.url.replace('redis://', 'redis://user:p%40ss@'));
      expect(server.received).toEqual([['AUTH', 'user', 'p@ss'], ['PING']]);
    } finally {
      await server.close();
    }
  });

  it('authenticates as ioredis does: a user with an empty password (an ACL nopass user), a password alone', async () => {
    const server = await respServer((command) => (command[0] === 'AUTH' ? '+OK\r\n' : '+PONG\r\n'));
    try {
      await pingRedis(server.url.replace('redis://', 'redis://probe@'));
      await pingRedis(server.url.replace('redis://', 'redis://:secret@'));
      expect(server.received).toEqual([['AUTH', 'probe', ''], ['PING'], ['AUTH', 'secret'], ['PING']]);
    } finally {
      await server.close();
    }
  });

  it('goes on to PING when a Redis without any password refuses the AUTH for that reason (ioredis only warns)', async () => {
    const server = await respServer((command) =>
      command[0] === 'AUTH' ? '-ERR AUTH <password> called without any password configured for the default user.\r\n' : '+PONG\r\n',
    );
    try {
      expect(await pingRedis(server.url.replace('redis://', 'redis://:secret@'))).toBeGreaterThanOrEqual(0);
    } finally {
      await server.close();
    }
  });

  it('rejects a URL whose credentials cannot be decoded before it opens any connection', async () => {
    // A refused port: were a socket opened first, its ECONNREFUSED would have no listener and crash the process.
    const url = `redis://:p%zz@127.0.0.1:${await freePort()}`;
    await expect(pingRedis(url)).rejects.toThrow(URIError);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('connects to an IPv6 literal without its brackets', async () => {
    const server = createServer((socket) => socket.on('data', () => socket.write('+PONG\r\n')));
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '::1', resolve));
    try {
      expect(await pingRedis(`redis://[::1]:${port}`)).toBeGreaterThanOrEqual(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects on an error reply (e.g. NOAUTH)', async () => {
    const server = await respServer(() => '-NOAUTH Authentication required.\r\n');
    try {
      await expect(pingRedis(server.url)).rejects.toThrow('Redis refused the health check');
    } finally {
      await server.close();
    }
  });

  it('rejects when nothing answers within its timeout (a hung Redis)', async () => {
    const server = await respServer(() => undefined);
    try {
      await expect(pingRedis(server.url, 100)).rejects.toThrow('Redis did not answer PING in time');
    } finally {
      await server.close();
    }
  });

  it('rejects when nothing listens', async () => {
    await expect(pingRedis(`redis://127.0.0.1:${await freePort()}`)).rejects.toThrow();
  });

  it('gets PONG from a real redis-server', async () => {
    const redis = await startRedisServer();
    try {
      expect(await pingRedis(redis.url)).toBeGreaterThanOrEqual(0);
    } finally {
      await redis.stop();
    }
  });
});

import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/**
 * One Redis round trip for a health check, without a Redis client: a connection of its own
 * (TLS for rediss://), `AUTH` when the URL carries credentials, one `PING`, then the connection is
 * closed. The contract:
 * - it resolves with the PING's round trip in ms when Redis answers `+PONG`;
 * - it rejects on any error reply, a closed or refused connection, or when the whole exchange
 *   (connect, TLS, AUTH, PING) takes longer than `timeoutMs` — never later;
 * - it sends nothing but AUTH and PING, so it never touches data.
 * The Health function carries this instead of ioredis (≈ 120 KB): it only asks whether Redis answers.
 */
export async function pingRedis(url: string, timeoutMs = 500): Promise<number> {
  const target = new URL(url);
  const port = Number(target.port || 6379);
  const host = target.hostname;
  const socket: Socket =
    target.protocol === 'rediss:' ? connectTls({ host, port, servername: host }) : connectTcp({ host, port, noDelay: true });
  const credentials = [decodeURIComponent(target.username), decodeURIComponent(target.password)].filter((part) => part !== '');
  const commands = [...(target.password ? [['AUTH', ...credentials]] : []), ['PING']];

  return new Promise<number>((resolve, reject) => {
    let pending = '';
    let sentPingAt = 0;
    let settled = false;
    const finish = (error: Error | undefined, latency?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(latency ?? 0);
    };
    const timer = setTimeout(() => finish(new Error('Redis did not answer PING in time')), timeoutMs);
    socket.once(target.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => {
      sentPingAt = performance.now();
      socket.write(commands.map(encodeCommand).join(''));
    });
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
        const reply = pending.slice(0, end);
        pending = pending.slice(end + 2);
        commands.shift();
        if (!reply.startsWith('+')) return finish(new Error('Redis refused the health check'));
        if (commands.length === 0) return finish(undefined, performance.now() - sentPingAt);
      }
    });
    socket.on('error', (error) => finish(error));
    socket.once('close', () => finish(new Error('Redis closed the connection')));
  });
}

/** A command as a RESP array of bulk strings (what every Redis accepts). */
function encodeCommand(parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
}

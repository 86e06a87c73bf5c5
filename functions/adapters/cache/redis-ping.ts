import { isIP, connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/**
 * One Redis round trip for a health check, without a Redis client: a connection of its own
 * (TLS for rediss://), `AUTH` as ioredis would send it for the URL, one `PING`, then the connection
 * is closed. The contract:
 * - it resolves with the PING's round trip in ms when Redis answers `+PONG`;
 * - it rejects on an error reply, a closed or refused connection, a malformed URL, or when the
 *   whole exchange (connect, TLS, AUTH, PING) takes longer than `timeoutMs` — never later;
 * - AUTH is what ioredis sends for the same URL: `AUTH <user> <password>` with a user (an empty
 *   password for a `nopass` ACL user), `AUTH <password>` without; as ioredis, a Redis that has no
 *   password configured and refuses the AUTH for that reason is still answered with PING;
 * - it sends nothing but AUTH and PING, so it never touches data.
 * The Health function carries this instead of ioredis (≈ 120 KB): it only asks whether Redis answers.
 */
export async function pingRedis(url: string, timeoutMs = 500): Promise<number> {
  // Everything that can throw on the URL happens before the socket exists (no socket is left without listeners).
  const { tls, host, port, auth } = pingTarget(url);
  const commands = [...(auth ? [['AUTH', ...auth]] : []), ['PING']];
  const socket: Socket = tls
    ? connectTls({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}) })
    : connectTcp({ host, port, noDelay: true });

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
    socket.on('error', (error) => finish(error));
    socket.once('close', () => finish(new Error('Redis closed the connection')));
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      sentPingAt = performance.now();
      socket.write(commands.map(encodeCommand).join(''));
    });
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
        const reply = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const [command] = commands.shift() ?? [];
        if (!reply.startsWith('+') && !(command === 'AUTH' && NO_PASSWORD_SET.test(reply)))
          return finish(new Error('Redis refused the health check'));
        if (commands.length === 0) return finish(undefined, performance.now() - sentPingAt);
      }
    });
  });
}

/** Redis's refusal of an AUTH when it has no password at all (ioredis only warns and goes on). */
const NO_PASSWORD_SET = /^-ERR.*(no password is set|without any password configured)/i;

interface PingTarget {
  tls: boolean;
  host: string;
  port: number;
  auth: string[] | undefined;
}

function pingTarget(url: string): PingTarget {
  const target = new URL(url);
  const user = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  return {
    tls: target.protocol === 'rediss:',
    // `[::1]` → `::1`: URL keeps an IPv6 literal's brackets, the socket wants the address.
    host: target.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(target.port || 6379),
    auth: user ? [user, password] : password ? [password] : undefined,
  };
}

/** A command as a RESP array of bulk strings (what every Redis accepts). */
function encodeCommand(parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
}

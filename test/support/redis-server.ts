/**
 * A private `redis-server` for tests that pause, kill or restart Redis (DESIGN.md "Local run and
 * tests"): it listens on a free port of 127.0.0.1, keeps nothing on disk, and never touches the
 * machine's shared Redis at 6379.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './local-server';

export interface PrivateRedis {
  port: number;
  url: string;
  /** SIGSTOP: the process keeps its sockets open but answers nothing (a hung server). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** SIGKILL; resolves once the process is gone. Its data is lost. */
  kill(): Promise<void>;
  /** A new, empty server on the same port (kills the current one first if it is still running). */
  restart(): Promise<void>;
  /** Ends the server for good. */
  stop(): Promise<void>;
  /** Sends one command over a fresh connection (RESP); resolves with the raw reply text. */
  command(...args: string[]): Promise<string>;
  readonly running: boolean;
}

const SHARED_REDIS_PORT = 6379;

/** One RESP command over its own socket; enough for FLUSHALL, DBSIZE, KEYS in tests. */
function sendCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  const payload = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis command ${args[0]} timed out`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (isCompleteReply(reply)) {
        clearTimeout(timer);
        socket.end();
        resolve(reply);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Good enough for the replies tests read: simple strings, errors, integers, bulk strings and flat arrays. */
function isCompleteReply(reply: string): boolean {
  if (!reply.endsWith('\r\n')) return false;
  const type = reply[0];
  if (type === '+' || type === '-' || type === ':') return true;
  const lines = reply.split('\r\n').slice(0, -1);
  if (type === '$') return Number(lines[0].slice(1)) < 0 || lines.length >= 2;
  if (type === '*') {
    const count = Number(lines[0].slice(1));
    return count <= 0 || lines.length >= 1 + count * 2;
  }
  return true;
}

async function waitUntilReady(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server exited early:\n${output()}`);
    try {
      if ((await sendCommand(port, ['PING'], 500)).startsWith('+PONG')) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not become ready on ${port}:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedisServer(port?: number): Promise<PrivateRedis> {
  const chosen = port ?? (await freePort());
  if (chosen === SHARED_REDIS_PORT) throw new Error('refusing to run a test Redis on the shared port 6379');
  let child: ChildProcess | undefined;
  let output = '';
  let paused = false;

  const launch = async (): Promise<void> => {
    output = '';
    const started = spawn(
      'redis-server',
      ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = started;
    started.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    started.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitUntilReady(chosen, started, () => output);
  };

  const isRunning = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;

  const killNow = async (): Promise<void> => {
    if (!child || !isRunning()) return;
    const current = child;
    const gone = exited(current);
    current.kill('SIGKILL');
    await gone;
    paused = false;
  };

  await launch();
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    get running() {
      return isRunning();
    },
    pause() {
      if (!isRunning()) throw new Error('redis-server is not running');
      child!.kill('SIGSTOP');
      paused = true;
    },
    resume() {
      if (!isRunning()) throw new Error('redis-server is not running');
      child!.kill('SIGCONT');
      paused = false;
    },
    kill: killNow,
    async restart() {
      await killNow();
      await launch();
    },
    async stop() {
      if (paused && isRunning()) child!.kill('SIGCONT');
      await killNow();
    },
    command: (...args: string[]) => sendCommand(chosen, args),
  };
}

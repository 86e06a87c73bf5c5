/**
 * Small holes of API.md §5/§8 over real HTTP: HEAD on the open routes with API_TOKEN set, the
 * errors Node's own HTTP parser raises (400 malformed request line, 431 headers too large) in the
 * error shape, and an unbalanced `If-Match: "1` refused as 400. A bystander request after each
 * broken one still succeeds.
 */
import { connect } from 'node:net';
import { ERROR_TABLE, ISO_MS, newExecutionId, putVariable, useServer, variablePath } from './support';
import { checkedFetch } from '../support/contract-http';

const ctx = useServer({ API_TOKEN: 'secret-token' });
const auth = { Authorization: 'Bearer secret-token' };

/** Writes raw bytes on a fresh connection and reads until the server closes it. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
    });
    socket.on('end', () => resolve(reply));
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}

function expectErrorShape(reply: string, status: number): void {
  const [head, body] = reply.split('\r\n\r\n');
  expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(head).toMatch(/content-type: application\/json/i);
  const parsed = JSON.parse(body);
  expect(parsed.success).toBe(false);
  expect(parsed.error.code).toBe('INVALID_REQUEST');
  expect(parsed.error.error_type).toBe(ERROR_TABLE.INVALID_REQUEST.errorType);
  expect(parsed.error.timestamp).toMatch(ISO_MS);
  expect(typeof parsed.user_message).toBe('string');
}

async function bystanderSucceeds(): Promise<void> {
  const health = await ctx.call('GET', '/api/health');
  expect(health.status).toBe(200);
}

describe('HEAD on the open routes with API_TOKEN set', () => {
  it.each(['/api/health', '/api/openapi.json'])('HEAD %s answers 200 without a token and without a body', async (path) => {
    const response = await checkedFetch(new Request(`${ctx.baseUrl}${path}`, { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('HEAD on a protected route still needs the token', async () => {
    const path = variablePath(newExecutionId('head'), 'v');
    expect((await checkedFetch(new Request(`${ctx.baseUrl}${path}`, { method: 'HEAD' }))).status).toBe(401);
    expect((await checkedFetch(new Request(`${ctx.baseUrl}${path}`, { method: 'HEAD', headers: auth }))).status).toBe(404);
  });
});

describe("errors raised by Node's HTTP parser answer in the error shape", () => {
  it('a malformed request line is 400', async () => {
    expectErrorShape(await rawExchange(ctx.server.port, 'THIS IS NOT HTTP\r\n\r\n'), 400);
    await bystanderSucceeds();
  });

  it('headers over the limit are 431', async () => {
    const reply = await rawExchange(ctx.server.port, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    expectErrorShape(reply, 431);
    await bystanderSucceeds();
  });
});

describe('If-Match', () => {
  it.each(['"1', '1"', 'W/1'])('%s (an unbalanced or bare weak tag) is 400 INVALID_REQUEST and stores nothing', async (ifMatch) => {
    const executionId = newExecutionId('ifmatch');
    expect((await putVariable(ctx.call, executionId, 'v', 1, {}, auth)).status).toBe(201);
    const refused = await putVariable(ctx.call, executionId, 'v', 2, {}, { ...auth, 'If-Match': ifMatch });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('INVALID_REQUEST');
    expect(refused.json.error.details).toEqual({ field: 'If-Match' });
    const stored = await ctx.call('GET', variablePath(executionId, 'v'), undefined, auth);
    expect(stored.json.value).toBe(1);
  });

  it.each(['"1"', '1', 'W/"1"'])('%s still matches version 1', async (ifMatch) => {
    const executionId = newExecutionId('ifmatch');
    expect((await putVariable(ctx.call, executionId, 'v', 1, {}, auth)).status).toBe(201);
    expect((await putVariable(ctx.call, executionId, 'v', 2, {}, { ...auth, 'If-Match': ifMatch })).status).toBe(200);
  });
});

import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, errorBody } from '#domain/errors';

/**
 * Node's HTTP parser refuses some requests before any handler runs (a malformed request line,
 * headers over its limit) and by default answers them with a bare status line. API.md §8 wants
 * the error shape wherever a response can still be written, so this answers them itself:
 * 431 for headers too large, 400 for any other parse error, then closes the connection (the
 * parser cannot find the next request on it). A connection already reset gets nothing.
 */
export function answerParserErrorsInErrorShape(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const apiError = tooLarge
      ? new ApiError('INVALID_REQUEST', "The request headers are over the server's size limit", { field: 'headers' })
      : new ApiError('INVALID_REQUEST', 'The request is not valid HTTP', { field: 'request' });
    const body = JSON.stringify(errorBody(apiError, randomUUID(), new Date().toISOString(), 'en'));
    const reason = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ` +
        `${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** A request Node's parser refuses gets its 4xx and a lingering close, so the client can read it before the socket goes. */
import type { Duplex } from 'node:stream';
import { closeAfterAnswer } from '../proxy/lingering-close.js';

/** Node's own answers, by parser error code (the same statuses its default handler writes). */
const STATUS_OF: Record<string, string> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};
const DEFAULT_STATUS = '400 Bad Request';

function answerOf(code: string | undefined): string {
  const status = (code !== undefined && STATUS_OF[code]) || DEFAULT_STATUS;
  return `HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;
}

/**
 * Node's default destroys the socket right after writing its answer: with request bytes still unread (an
 * oversized chunk extension, a body after a refused head) the kernel then sends a reset, and the client often
 * loses the answer (fastify's default handler does the same). Here the socket is half-closed after the answer and drained for a bounded time instead.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  closeAfterAnswer(socket, answerOf(err.code));
}

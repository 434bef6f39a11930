/** Whether a client request frames a body: what decides the fast path's share and the stream a GET's body goes on as. */
import type { IncomingMessage } from 'node:http';

/** HTTP/1.1: a length above 0, or chunked; HTTP/2: the stream did not end with its headers. */
export function carriesBody(raw: IncomingMessage): boolean {
  if (raw.httpVersionMajor === 2)
    return (
      (raw as IncomingMessage & { stream?: { endAfterHeaders?: boolean } }).stream?.endAfterHeaders !== true
    );
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

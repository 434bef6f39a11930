/** Closing a connection after Gerbang's last answer on it: bounded in time whatever the client does. */
import type { Duplex } from 'node:stream';
import { DEFAULT_LINGERING_CLOSE_MS } from '../../config/defaults.js';

/**
 * Ends `socket` (with `answer` as its last bytes) and destroys it once the client has closed too, or after
 * `lingerMs` at most. Meanwhile whatever the client sends is read and dropped: bytes left unread in the
 * kernel would keep the stream from ever seeing the client's FIN (the socket then stayed open for good),
 * and closing on them at once makes the kernel send a reset that can destroy the answer before it is read.
 */
export function closeAfterAnswer(
  socket: Duplex,
  answer?: string | Buffer,
  lingerMs: number = DEFAULT_LINGERING_CLOSE_MS,
): void {
  if (socket.destroyed) return;
  const destroy = (): void => {
    socket.destroy();
  };
  const timer = setTimeout(destroy, lingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.on('error', destroy);
  // The client is done: close as soon as the answer has left (a client may half-close right after its request).
  if (socket.readableEnded) socket.once('finish', destroy);
  else socket.once('end', () => (socket.writableFinished ? destroy() : socket.once('finish', destroy)));
  socket.resume();
  if (!socket.writable) destroy();
  else if (answer === undefined) socket.end();
  else socket.end(answer);
}

/** A raw WebSocket-upgrade client for tests: sends the handshake (and optionally bytes after it), keeps what comes back, and tells whether the server closed. */
import { connect, type Socket } from 'node:net';

export interface UpgradeExchange {
  /** Everything the server wrote, as latin1 text. */
  text: string;
  /** The status code of the first status line, 0 when none came. */
  status: number;
  /** The server ended or closed the connection within the wait. */
  closedByServer: boolean;
  /** The socket, still open when the server did not close it (the caller destroys it). */
  socket: Socket;
}

export interface UpgradeOptions {
  path?: string;
  /** Extra header lines, e.g. `Accept: application/json`. */
  headers?: Record<string, string>;
  /** Written right after the request head, in the same segment (a client that does not wait for 101). */
  after?: string;
  /** Written as soon as the answer begins to arrive: a byte that reaches the gateway after it took the upgrade. */
  onAnswer?: string;
  /** Keep the client's side open when the server ends its own (a client that never closes). */
  halfOpen?: boolean;
  /** How long to wait for the server to close after its answer began. */
  waitCloseMs?: number;
}

export function upgradeRequestHead(host: string, path = '/', headers: Record<string, string> = {}): string {
  let head =
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  return `${head}\r\n`;
}

/** Sends an upgrade for `host` on 127.0.0.1:`port` and waits (bounded) for the answer and the server's close. */
export function upgradeExchange(
  port: number,
  host: string,
  options: UpgradeOptions = {},
): Promise<UpgradeExchange> {
  const waitCloseMs = options.waitCloseMs ?? 3_000;
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: options.halfOpen === true });
    let text = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ text, status: match ? Number(match[1]) : 0, closedByServer, socket });
    };
    socket.on('connect', () => {
      socket.write(upgradeRequestHead(host, options.path, options.headers) + (options.after ?? ''));
      timer = setTimeout(() => finish(false), waitCloseMs);
    });
    socket.on('data', (chunk: Buffer) => {
      if (text === '' && options.onAnswer !== undefined) socket.write(options.onAnswer);
      text += chunk.toString('latin1');
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (err) => (settled ? undefined : text === '' ? reject(err) : finish(true)));
  });
}

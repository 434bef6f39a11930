/** Caps at accept time on a public listener: connections per client address, and a first-byte deadline for connections that say nothing. */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { TrustCheck } from '../routing/trusted-proxies.js';
import { clientKey } from './client-key.js';
import { KeyCounter } from './key-counter.js';

export type ConnectionCut =
  | 'address_cap'
  | 'first_byte_timeout'
  /** HTTP/2 sessions (listeners/h2-session-guard.ts): Rapid Reset, idle, no SETTINGS after the handshake. */
  | 'h2_rapid_reset'
  | 'h2_idle'
  | 'h2_settings_timeout';

export interface ConnectionGuardOptions {
  /** HTTPS: the first-byte clock starts once the handshake is done (the handshake has its own deadline). */
  tls: boolean;
  firstByteTimeoutMs: number;
  maxConnectionsPerAddress: number;
  /** Trusted proxies carry many clients on their connections: never capped. */
  exempt: TrustCheck;
  onCut?: (reason: ConnectionCut) => void;
}

/**
 * Node bounds a request only from its first byte (headersTimeout) and an idle keep-alive connection only after
 * a response: a connection that never speaks lives for ever. The per-address count keys on the socket's peer,
 * the only address known at accept time.
 */
export function guardConnections(server: Server, options: ConnectionGuardOptions): void {
  const counter = new KeyCounter(options.maxConnectionsPerAddress);
  const { firstByteTimeoutMs, exempt, onCut } = options;

  const firstByteTimer = (socket: Socket): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      if (socket.bytesRead > 0 || socket.destroyed) return;
      onCut?.('first_byte_timeout');
      socket.destroy();
    }, firstByteTimeoutMs);
    timer.unref();
    return timer;
  };

  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress;
    const key = exempt(peer) ? undefined : clientKey(peer);
    if (key !== undefined && !counter.tryAcquire(key)) {
      onCut?.('address_cap');
      socket.destroy();
      return;
    }
    const timer = options.tls ? undefined : firstByteTimer(socket);
    if (key === undefined && timer === undefined) return;
    // One listener per connection for both.
    socket.once('close', () => {
      if (key !== undefined) counter.release(key);
      clearTimeout(timer);
    });
  });
  // The TLS socket counts cleartext bytes: its first request byte, not the handshake's.
  if (options.tls)
    server.on('secureConnection', (socket: Socket) => {
      const timer = firstByteTimer(socket);
      socket.once('close', () => clearTimeout(timer));
    });
}

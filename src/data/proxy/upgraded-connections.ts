/** The sockets each listener handed to the upgrade proxy: Node's own connection tracking lets go of them, so the drain finds them here. */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

const byServer = new WeakMap<Server, Set<Duplex>>();

/** Remembers `socket` until it closes. */
export function trackUpgraded(server: Server, socket: Duplex): void {
  let sockets = byServer.get(server);
  if (sockets === undefined) {
    sockets = new Set();
    byServer.set(server, sockets);
  }
  const set = sockets;
  set.add(socket);
  socket.once('close', () => set.delete(socket));
}

/** Upgrade sockets of `server` still open (handshakes, tunnels, answers being flushed). */
export function upgradedCount(server: Server): number {
  return byServer.get(server)?.size ?? 0;
}

/** Cuts every upgrade socket of `server` (the drain's deadline); a tunnel's other side follows its client socket. */
export function destroyUpgraded(server: Server): void {
  const sockets = byServer.get(server);
  if (sockets === undefined) return;
  for (const socket of [...sockets]) socket.destroy();
}

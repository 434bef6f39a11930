/** Binds one listener; a taken or forbidden address becomes a startup error naming the listener, the address and the variable that moves it. */
import type { FastifyInstance } from 'fastify';
import type { ListenAddress } from '../../config/schema.js';
import { configError } from '../../errors.js';

export type ListenerName = 'http' | 'https' | 'admin';

const LISTENERS: Record<ListenerName, { what: string; portVar: string; hostVar: string }> = {
  http: { what: 'public HTTP listener', portVar: 'GERBANG_HTTP_PORT', hostVar: 'listen.http.host' },
  https: { what: 'public HTTPS listener', portVar: 'GERBANG_HTTPS_PORT', hostVar: 'listen.https.host' },
  admin: { what: 'admin API', portVar: 'GERBANG_ADMIN_PORT', hostVar: 'GERBANG_ADMIN_HOST' },
};

const WHY: Record<string, string> = {
  EADDRINUSE: 'the address is already in use (another Gerbang, or another server?)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'no interface of this machine has that address',
};

export async function listenOn(
  app: FastifyInstance,
  name: ListenerName,
  address: ListenAddress,
): Promise<void> {
  try {
    await app.listen({ host: address.host, port: address.port });
  } catch (err) {
    const why = WHY[(err as NodeJS.ErrnoException).code ?? ''];
    if (why === undefined) throw err;
    const { what, portVar, hostVar } = LISTENERS[name];
    const move = (err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL' ? hostVar : portVar;
    throw configError(
      move,
      `cannot start the ${what} on ${address.host}:${address.port}: ${why}; set ${move} (or listen.${name} in the config file) to move it`,
    );
  }
}

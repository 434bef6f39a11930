/** The authority a backend is told the client used: the normalised host name and the listener's real public port, never the client's. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../../config/schema.js';

const DEFAULT_PORTS = { http: 80, https: 443 } as const;

export interface PublicAuthority {
  /** `name` for the scheme's default port, else `name:port`: what Host (preserveHost) and X-Forwarded-Host carry. */
  of(hostName: string): string;
  /** The public port as X-Forwarded-Port carries it. */
  port(): string;
}

/**
 * The cache key holds the scheme and the normalised name but no port, so the backend must not see a port (or case,
 * or trailing dot) the key does not: `Host: dinkes...:1` would otherwise make a portal write links to port 1 into
 * a page every citizen is then served. The port is `publicPort` when configured (a NAT or container publishing
 * 80 onto 8080), else the port the listener is bound to, read once it listens.
 */
export function createPublicAuthority(
  scheme: 'http' | 'https',
  listen: ListenAddress,
  server: Server,
): PublicAuthority {
  let port: number | undefined;
  let suffix = '';
  const resolve = (): number => {
    if (port !== undefined) return port;
    const bound = listen.port === 0 ? (server.address() as AddressInfo | null)?.port : listen.port;
    const resolved = listen.publicPort ?? bound;
    // Asked before the listener is bound (never on a request): nothing is remembered yet.
    if (resolved === undefined) return DEFAULT_PORTS[scheme];
    port = resolved;
    suffix = resolved === DEFAULT_PORTS[scheme] ? '' : `:${resolved}`;
    return port;
  };
  return {
    of(hostName) {
      resolve();
      return hostName + suffix;
    },
    port: () => String(resolve()),
  };
}

/** The client address as Gerbang sees it: the peer, or, behind a trusted proxy, the nearest untrusted hop of X-Forwarded-For. */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { TrustCheck } from '../routing/trusted-proxies.js';

const MAPPED_PREFIX = '::ffff:';

/** IPv4 peers of dual-stack sockets arrive as ::ffff:a.b.c.d: matched as the IPv4 address they are. */
function unmapped(address: string): string {
  return address.startsWith(MAPPED_PREFIX) && isIP(address.slice(MAPPED_PREFIX.length)) === 4
    ? address.slice(MAPPED_PREFIX.length)
    : address;
}

/** The whole address (not a /64 key, as the per-address caps use): access lists name single addresses. */
export function clientAddressOf(req: IncomingMessage, isTrusted: TrustCheck): string {
  const peer = req.socket.remoteAddress;
  if (peer === undefined) return '';
  const forwardedFor = req.headers['x-forwarded-for'];
  if (typeof forwardedFor !== 'string' || !isTrusted(peer)) return unmapped(peer);
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = (hops[i] as string).trim();
    if (hop !== '' && isIP(hop) !== 0 && !isTrusted(hop)) return unmapped(hop);
  }
  return unmapped(peer);
}

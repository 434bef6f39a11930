/** The key a client is counted under for per-address caps: IPv4 as is (also when mapped into IPv6), IPv6 by its /64, which one subscriber usually holds whole. */
import { isIP } from 'node:net';
import { ipv6Groups } from '../../model/embedded-ipv4.js';
import type { TrustCheck } from '../routing/trusted-proxies.js';

const MAPPED_PREFIX = '::ffff:';

export function clientKey(address: string | undefined): string {
  if (address === undefined) return '';
  // Every request passes here: an IPv4 peer (no colon) costs one scan, no parsing.
  if (!address.includes(':')) return address;
  if (address.startsWith(MAPPED_PREFIX) && isIP(address.slice(MAPPED_PREFIX.length)) === 4)
    return address.slice(MAPPED_PREFIX.length);
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/**
 * The client a request is from: the peer, unless the peer is a trusted proxy, then the nearest address in
 * X-Forwarded-For (right to left) that is not itself trusted. Undefined when a trusted proxy names no one
 * (a layer-4 balancer that rewrites source addresses): its requests are many clients', never capped as one.
 */
export function requestClient(
  peer: string | undefined,
  forwardedFor: unknown,
  isTrusted: TrustCheck,
): string | undefined {
  if (peer === undefined || !isTrusted(peer)) return clientKey(peer);
  if (typeof forwardedFor !== 'string') return undefined;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = (hops[i] as string).trim();
    if (hop !== '' && isIP(hop) !== 0 && !isTrusted(hop)) return clientKey(hop);
  }
  return undefined;
}

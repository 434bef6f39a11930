/** Which peers may speak for the client through X-Forwarded-*: a CIDR list compiled once into a BlockList. */
import { BlockList, isIP } from 'node:net';
import { configError } from '../../errors.js';

export type TrustCheck = (address: string | undefined) => boolean;

export function compileTrustedProxies(list: readonly string[]): TrustCheck {
  if (list.length === 0) return () => false;
  const blocks = new BlockList();
  for (const entry of list) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw configError('trustedProxies', `"${entry}" is not an address or CIDR`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) blocks.addAddress(address, type);
    else {
      const prefix = Number(bits);
      const max = family === 6 ? 128 : 32;
      if (!/^\d+$/.test(bits) || prefix > max)
        throw configError('trustedProxies', `"${entry}" has a bad prefix length`);
      blocks.addSubnet(address, prefix, type);
    }
  }
  return (address) => {
    if (address === undefined) return false;
    // Node reports IPv4 peers on dual-stack sockets as ::ffff:a.b.c.d.
    if (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4)
      return blocks.check(address.slice(7), 'ipv4');
    return blocks.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  };
}

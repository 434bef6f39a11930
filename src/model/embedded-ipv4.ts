/** The addresses an IP address really reaches: IPv6 forms that carry an IPv4 address (mapped, SIIT, NAT64, 6to4, Teredo) are judged by the IPv4 they carry. */
import { isIP } from 'node:net';

export interface JudgedAddress {
  address: string;
  type: 'ipv4' | 'ipv6';
}

/** Expands an IPv6 text address to its 8 groups; undefined when it is not IPv6. */
export function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(fill).fill('0'), ...tailGroups].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.length === 8 ? groups : undefined;
}

const v4 = (a: number, b: number, c: number, d: number): JudgedAddress => ({
  address: `${a & 0xff}.${b & 0xff}.${c & 0xff}.${d & 0xff}`,
  type: 'ipv4',
});
const v4Of = (hi: number, lo: number): JudgedAddress => v4(hi >> 8, hi, lo >> 8, lo);

/**
 * RFC 6052 layouts under the local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215): the site picks the prefix length
 * (48, 56, 64 or 96), which the address does not say, so every layout that can apply is judged. A /48–/64 layout
 * needs its reserved octet (bits 64–71) zero, and one that reads into 0.0.0.0/8 is taken as not in use (a
 * /96 address read as /48 gives 0.0.x.x); the /96 reading is always judged.
 */
function localNat64(g: readonly number[]): JudgedAddress[] {
  const [, , , g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const out = [v4Of(g6, g7)];
  if (g4 >> 8 !== 0) return out;
  for (const candidate of [
    v4(g3 >> 8, g3, g4, g5 >> 8), // /48
    v4(g3, g4, g5 >> 8, g5), // /56
    v4(g4, g5 >> 8, g5, g6 >> 8), // /64
  ]) {
    if (!candidate.address.startsWith('0.')) out.push(candidate);
  }
  return out;
}

/**
 * Every address a connection to `address` may end at, to be judged one by one (one refused refuses the target).
 * IPv4-mapped (::ffff:0:0/96), SIIT (::ffff:0:0:0/96) and IPv4-compatible (::a.b.c.d) forms are only their IPv4;
 * NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16) and Teredo (2001::/32: server and de-obfuscated client)
 * are their IPv4 and the IPv6 itself. Undefined when `address` is not an IP address.
 */
export function judgedAddresses(address: string): JudgedAddress[] | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIP(bare) === 4) return [{ address: bare, type: 'ipv4' }];
  const g = ipv6Groups(bare);
  if (g === undefined) return undefined;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const self: JudgedAddress = { address: bare.split('%', 1)[0] as string, type: 'ipv6' };
  const zero64 = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  if (zero64 && g4 === 0 && g5 === 0xffff) return [v4Of(g6, g7)]; // mapped
  if (zero64 && g4 === 0xffff && g5 === 0) return [v4Of(g6, g7)]; // SIIT
  // IPv4-compatible; :: and ::1 stay IPv6 (unspecified, loopback).
  if (zero64 && g4 === 0 && g5 === 0 && (g6 !== 0 || g7 > 1)) return [v4Of(g6, g7)];
  if (g0 === 0x64 && g1 === 0xff9b) {
    if (g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return [v4Of(g6, g7), self];
    if (g2 === 1) return [...localNat64(g), self];
  }
  if (g0 === 0x2002) return [v4Of(g1, g2), self]; // 6to4
  if (g0 === 0x2001 && g1 === 0) return [v4Of(g2, g3), v4Of(g6 ^ 0xffff, g7 ^ 0xffff), self]; // Teredo
  return [self];
}

/** Which backend addresses a target may reach (SSRF policy): checked when a target is registered and again on every connect. */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DEFAULT_TARGET_RESOLVE_TIMEOUT_MS } from '../config/defaults.js';
import { configError, GerbangError } from '../errors.js';
import type { ParsedTarget } from './target-url.js';

/** Resolves a name to every address (the shape of dns.lookup with `all: true`); injectable so tests need no DNS. */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export interface BackendsPolicyConfig {
  /** CIDRs of loopback / private ranges that targets may reach (they are refused otherwise). */
  allow: readonly string[];
  /** CIDRs never reachable, whatever `allow` says. */
  deny: readonly string[];
  /** Test hook: how names are resolved (default dns.lookup, all addresses). */
  resolve?: ResolveAll | undefined;
}

export interface OwnListener {
  host: string;
  port: number;
}

/** Refused whoever asks: link-local (cloud metadata lives there), unspecified, metadata endpoints outside link-local. */
const ALWAYS_FORBIDDEN: readonly string[] = [
  '169.254.0.0/16',
  '0.0.0.0/8',
  '100.100.100.200/32', // Alibaba Cloud metadata
  '192.0.0.192/32', // Oracle Cloud metadata (legacy)
  '255.255.255.255/32',
  '224.0.0.0/4', // multicast: never an HTTP backend
  'fe80::/10',
  '::/128',
  'fd00:ec2::254/128', // AWS metadata over IPv6
  'fd00:ec2::23/128', // AWS DNS over IPv6
  'ff00::/8',
];

/** Reachable only when `backends.allow` lists them: the gateway's own host and the data centre's networks. */
const RESTRICTED: readonly string[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '198.18.0.0/15',
  '::1/128',
  'fc00::/7',
];

/** Names that reach a cloud metadata service without looking like an address. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
]);

function addCidr(list: BlockList, entry: string, field: string): void {
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) throw configError(field, `"${entry}" is not an address or CIDR`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) {
    list.addAddress(address, type);
    return;
  }
  const max = family === 6 ? 128 : 32;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max)
    throw configError(field, `"${entry}" has a bad prefix length`);
  list.addSubnet(address, Number(bits), type);
}

function blockList(entries: readonly string[], field: string): BlockList {
  const list = new BlockList();
  for (const entry of entries) addCidr(list, entry, field);
  return list;
}

/** Expands an IPv6 text address to its 8 groups; undefined when it is not IPv6. */
function ipv6Groups(address: string): number[] | undefined {
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

/**
 * The address a connection would really reach: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d)
 * and NAT64 (64:ff9b::a.b.c.d) IPv6 forms are judged as the IPv4 address they carry.
 */
export function effectiveAddress(address: string): { address: string; type: 'ipv4' | 'ipv6' } | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return { address: bare, type: 'ipv4' };
  const groups = ipv6Groups(bare);
  if (groups === undefined) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  const mapped = zeroPrefix && g5 === 0xffff;
  const compatible = zeroPrefix && g5 === 0 && (g6 !== 0 || g7 > 1);
  const nat64 = g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0;
  if (mapped || compatible || nat64) {
    return { address: `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`, type: 'ipv4' };
  }
  return { address: bare.split('%', 1)[0] as string, type: 'ipv6' };
}

const defaultResolve: ResolveAll = (hostname) =>
  new Promise((resolve, reject) => {
    const options: LookupAllOptions = { all: true, verbatim: true };
    dnsLookup(hostname, options, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

/** The compiled policy: one instance per gateway, shared by the admin API (registration) and the upstream pools (connect). */
export class TargetPolicy {
  private readonly forbidden: BlockList;
  private readonly restricted: BlockList;
  private readonly allow: BlockList;
  private readonly deny: BlockList;
  readonly resolveAll: ResolveAll;
  /** `address:port` of Gerbang's own listeners, plus `*:port` for wildcard binds. */
  private own = new Set<string>();
  private ownPorts = new Set<number>();
  private localAddresses = new Set<string>();

  constructor(config: BackendsPolicyConfig) {
    this.forbidden = blockList(ALWAYS_FORBIDDEN, 'backends');
    this.restricted = blockList(RESTRICTED, 'backends');
    this.allow = blockList(config.allow, 'backends.allow');
    this.deny = blockList(config.deny, 'backends.deny');
    this.resolveAll = config.resolve ?? defaultResolve;
  }

  /** Gerbang's bound listeners (known after listen): a target pointing at one would loop through the gateway. */
  setOwnListeners(listeners: readonly OwnListener[]): void {
    this.own = new Set();
    this.ownPorts = new Set();
    this.localAddresses = new Set(['127.0.0.1', '::1']);
    for (const list of Object.values(networkInterfaces()))
      for (const info of list ?? []) this.localAddresses.add(info.address);
    for (const { host, port } of listeners) {
      const eff = effectiveAddress(host);
      const wildcard = host === '0.0.0.0' || host === '::' || eff === undefined;
      if (wildcard) this.ownPorts.add(port);
      else this.own.add(`${eff.address}:${port}`);
    }
  }

  /** Why `address:port` may not be reached, or undefined when it may. */
  refusal(address: string, port: number): string | undefined {
    const eff = effectiveAddress(address);
    if (eff === undefined) return `"${address}" is not an IP address`;
    if (this.forbidden.check(eff.address, eff.type)) return `${eff.address} is a forbidden address`;
    if (this.own.has(`${eff.address}:${port}`) || (this.ownPorts.has(port) && this.isLocal(eff.address))) {
      return `${eff.address}:${port} is Gerbang's own listener`;
    }
    if (this.deny.check(eff.address, eff.type)) return `${eff.address} is denied by backends.deny`;
    if (this.restricted.check(eff.address, eff.type) && !this.allow.check(eff.address, eff.type)) {
      return `${eff.address} is a loopback or private address not listed in backends.allow`;
    }
    return undefined;
  }

  private isLocal(address: string): boolean {
    return this.localAddresses.has(address) || address.startsWith('127.');
  }

  /** Registration check: the literal address, or every address the name resolves to now. Throws TARGET_FORBIDDEN. */
  async check(target: ParsedTarget, field: string): Promise<void> {
    const hostname = target.hostname;
    const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    if (isIP(literal) !== 0) {
      const why = this.refusal(literal, target.port);
      if (why) throw new GerbangError('TARGET_FORBIDDEN', `${field}: ${why}`);
      return;
    }
    const name = hostname.toLowerCase().replace(/\.$/, '');
    if (METADATA_NAMES.has(name))
      throw new GerbangError('TARGET_FORBIDDEN', `${field}: "${name}" is a metadata service`);
    let addresses: LookupAddress[];
    try {
      addresses = await withTimeout(this.resolveAll(name), DEFAULT_TARGET_RESOLVE_TIMEOUT_MS);
    } catch (err) {
      throw new GerbangError(
        'INVALID_TARGET',
        `${field}: "${name}" does not resolve (${(err as { code?: string }).code ?? (err as Error).message})`,
      );
    }
    if (addresses.length === 0)
      throw new GerbangError('INVALID_TARGET', `${field}: "${name}" does not resolve`);
    for (const { address } of addresses) {
      const why = this.refusal(address, target.port);
      if (why)
        throw new GerbangError('TARGET_FORBIDDEN', `${field}: "${name}" resolves to ${address}: ${why}`);
    }
  }

  /** Whether a name is a known metadata endpoint (for the connect-time check). */
  isMetadataName(hostname: string): boolean {
    return METADATA_NAMES.has(hostname.toLowerCase().replace(/\.$/, ''));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

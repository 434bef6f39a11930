/** Which backend addresses a target may reach (SSRF policy): checked when a target is registered and again on every connect. */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DEFAULT_TARGET_RESOLVE_TIMEOUT_MS } from '../config/defaults.js';
import { configError, GerbangError } from '../errors.js';
import { type JudgedAddress, judgedAddresses } from './embedded-ipv4.js';
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

/** One source of the data centre's own infrastructure (`instances`, `redis`) and what it lists. */
export interface InfrastructureSource {
  source: string;
  what: string;
  endpoints: readonly OwnListener[];
}

export type InfrastructureListener = (change: InfrastructureSource) => void;

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
  'fec0::/10', // deprecated site-local (RFC 3879): private in practice, and nobody's public address
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

/**
 * The address a listener bind really is (IPv4-mapped and -compatible forms as their IPv4); for judging targets,
 * where one IPv6 address may carry several IPv4 ones, see `judgedAddresses`.
 */
export function effectiveAddress(address: string): JudgedAddress | undefined {
  return judgedAddresses(address)?.[0];
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
  private readonly infrastructure = new Map<
    string,
    { what: string; keys: Set<string>; endpoints: readonly OwnListener[] }
  >();
  private readonly infrastructureListeners: InfrastructureListener[] = [];

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

  /**
   * The data centre's own services (another instance's listeners, the store's Redis, ...) by source: every
   * `address:port` or `name:port` of `endpoints` is refused whatever `backends.allow` says. Replaces the
   * source's previous list.
   */
  setInfrastructure(source: string, what: string, endpoints: readonly OwnListener[]): void {
    const keys = new Set<string>();
    for (const { host, port } of endpoints) {
      const judged = judgedAddresses(host);
      if (judged === undefined) keys.add(`${normalName(host)}:${port}`);
      else for (const a of judged) keys.add(`${canonical(a)}:${port}`);
    }
    const before = this.infrastructure.get(source);
    if (before && before.what === what && sameKeys(before.keys, keys)) return;
    if (keys.size === 0) this.infrastructure.delete(source);
    else this.infrastructure.set(source, { what, keys, endpoints: [...endpoints] });
    for (const listener of this.infrastructureListeners) listener({ source, what, endpoints });
  }

  /** Told of every change (with `infrastructureSources` for the state now): how a cluster primary keeps its workers' policies equal. */
  onInfrastructure(listener: InfrastructureListener): void {
    this.infrastructureListeners.push(listener);
  }

  infrastructureSources(): InfrastructureSource[] {
    return [...this.infrastructure].map(([source, { what, endpoints }]) => ({ source, what, endpoints }));
  }

  private infrastructureAt(key: string): string | undefined {
    for (const { what, keys } of this.infrastructure.values()) if (keys.has(key)) return what;
    return undefined;
  }

  /** Why `address:port` may not be reached, or undefined when it may. */
  refusal(address: string, port: number): string | undefined {
    const judged = judgedAddresses(address);
    if (judged === undefined) return `"${address}" is not an IP address`;
    for (const eff of judged) {
      const why = this.refusalOf(eff, port);
      if (why) return eff.address === address ? why : `${address} carries ${eff.address}: ${why}`;
    }
    return undefined;
  }

  /** Why a target name may not be reached before it is even resolved: a metadata name or infrastructure. */
  nameRefusal(hostname: string, port: number): string | undefined {
    const name = normalName(hostname);
    if (METADATA_NAMES.has(name)) return `"${name}" is a metadata service`;
    const infra = this.infrastructureAt(`${name}:${port}`);
    return infra ? `${name}:${port} is ${infra}` : undefined;
  }

  private refusalOf(eff: JudgedAddress, port: number): string | undefined {
    if (this.forbidden.check(eff.address, eff.type)) return `${eff.address} is a forbidden address`;
    if (this.own.has(`${eff.address}:${port}`) || (this.ownPorts.has(port) && this.isLocal(eff.address))) {
      return `${eff.address}:${port} is Gerbang's own listener`;
    }
    const infra = this.infrastructureAt(`${canonical(eff)}:${port}`);
    if (infra) return `${eff.address}:${port} is ${infra}`;
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
    const name = normalName(hostname);
    const refused = this.nameRefusal(name, target.port);
    if (refused) throw new GerbangError('TARGET_FORBIDDEN', `${field}: ${refused}`);
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
    return METADATA_NAMES.has(normalName(hostname));
  }
}

function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const key of a) if (!b.has(key)) return false;
  return true;
}

function normalName(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

/** One spelling per IPv6 address (as URLs and dns.lookup print it), so infrastructure keys compare equal. */
function canonical(address: JudgedAddress): string {
  if (address.type === 'ipv4') return address.address;
  try {
    return new URL(`http://[${address.address}]/`).hostname.slice(1, -1);
  } catch {
    return address.address;
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

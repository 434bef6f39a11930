/** Allow and deny lists of a host or route: CIDRs compiled once per snapshot into node:net BlockLists; deny wins, then a non-empty allow admits only itself. */
import { BlockList, isIP, SocketAddress } from 'node:net';
import { MAX_PARSED_ADDRESSES } from '../../config/defaults.js';
import { GerbangError } from '../../errors.js';
import type { AccessList } from '../../model/host-schema.js';

export interface AccessPlan {
  /** True when the address may pass. */
  admits(address: string): boolean;
}

/** An address or CIDR as stored (validated at registration); throws naming `field` when it is not one. */
function addEntry(blocks: BlockList, entry: string, field: string): void {
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0)
    throw new GerbangError('VALIDATION_FAILED', `${field}: "${entry}" is not an address or CIDR`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (slash < 0) {
    blocks.addAddress(address, type);
    return;
  }
  const bits = entry.slice(slash + 1);
  const prefix = Number(bits);
  if (!/^\d{1,3}$/.test(bits) || prefix > (family === 6 ? 128 : 32))
    throw new GerbangError('VALIDATION_FAILED', `${field}: "${entry}" has a bad prefix length`);
  blocks.addSubnet(address, prefix, type);
}

function compileList(list: readonly string[] | undefined, field: string): BlockList | undefined {
  if (list === undefined || list.length === 0) return undefined;
  const blocks = new BlockList();
  for (const [i, entry] of list.entries()) addEntry(blocks, entry, `${field}/${i}`);
  return blocks;
}

/**
 * BlockList.check(string) builds a SocketAddress on every call, which costs far more than the check itself:
 * parsed addresses are kept, a bounded number (a scanner's many addresses cannot grow it past the bound).
 */
const PARSED = new Map<string, SocketAddress>();

function socketAddressOf(address: string): SocketAddress | undefined {
  let parsed = PARSED.get(address);
  if (parsed !== undefined) return parsed;
  const family = isIP(address);
  if (family === 0) return undefined;
  parsed = new SocketAddress({ address, family: family === 6 ? 'ipv6' : 'ipv4' });
  if (PARSED.size >= MAX_PARSED_ADDRESSES) PARSED.clear();
  PARSED.set(address, parsed);
  return parsed;
}

/** undefined when the list restricts nothing: a host without one pays one property check. */
export function compileAccessList(spec: AccessList | undefined, field: string): AccessPlan | undefined {
  if (spec === undefined) return undefined;
  const allow = compileList(spec.allow, `${field}/allow`);
  const deny = compileList(spec.deny, `${field}/deny`);
  if (allow === undefined && deny === undefined) return undefined;
  return {
    admits(address) {
      const parsed = socketAddressOf(address);
      if (parsed === undefined) return false;
      if (deny?.check(parsed)) return false;
      return allow === undefined || allow.check(parsed);
    },
  };
}

/** The header policy on the way out: on a proxied response's field object, and on a stored response's flat head (cache hits). */
import { MAX_SERVER_PRODUCT_LENGTH } from '../../config/defaults.js';
import type { Head } from '../cache/stored-reply.js';
import type { HeaderRuleSet, ResponseHeaderPlan } from './header-plan.js';

/** A field object as Node's writeHead and undici's parser have it (names lower-case). */
type Fields = Record<string, string | string[] | number | undefined>;

/** Token characters (RFC 9110), by char code. */
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TOKEN[c.charCodeAt(0)] = 1;

/**
 * The product name a Server field starts with, without its version, comments and further products; undefined
 * when it starts with none or with one too long to be a name. Reads at most MAX_SERVER_PRODUCT_LENGTH + 1 chars,
 * whatever the length of the field.
 */
export function serverProduct(value: string): string | undefined {
  const limit = Math.min(value.length, MAX_SERVER_PRODUCT_LENGTH + 1);
  let i = 0;
  while (i < limit && TOKEN[value.charCodeAt(i)] === 1) i++;
  if (i === 0 || i > MAX_SERVER_PRODUCT_LENGTH) return undefined;
  return i === value.length ? value : value.slice(0, i);
}

/** Applies remove → setIfAbsent → set in place (request headers, or a response's without Server handling). */
export function applyRuleSet(plan: HeaderRuleSet, fields: Fields): void {
  for (const name of plan.remove) if (fields[name] !== undefined) delete fields[name];
  for (const [name, value] of plan.setIfAbsent) if (fields[name] === undefined) fields[name] = value;
  for (const [name, value] of plan.set) fields[name] = value;
}

/** The policy on a proxied response's fields, in place: a host with the defaults only pays a few property checks. */
export function applyResponseHeaders(plan: ResponseHeaderPlan | undefined, fields: Fields): void {
  if (plan === undefined) return;
  if (plan.stripServer) {
    const server = fields.server;
    if (server !== undefined) {
      const product = serverProduct(Array.isArray(server) ? (server[0] ?? '') : String(server));
      if (product === undefined) delete fields.server;
      else if (product !== server) fields.server = product;
    }
  }
  applyRuleSet(plan, fields);
}

/** The policy on a flat head (name, value, name, value…): a new list, the given one is left as it is. */
export function policyHead(plan: ResponseHeaderPlan, head: Head): Head {
  const out: Head = [];
  let present: Set<string> | undefined;
  for (let i = 0; i < head.length; i += 2) {
    const name = head[i] as string;
    if (plan.remove.has(name)) continue;
    let value = head[i + 1] as string;
    if (name === 'server' && plan.stripServer) {
      const product = serverProduct(value);
      if (product === undefined) continue;
      value = product;
    }
    if (plan.absentNames.has(name)) {
      present ??= new Set();
      present.add(name);
    }
    out.push(name, value);
  }
  for (const [name, value] of plan.setIfAbsent) if (present?.has(name) !== true) out.push(name, value);
  for (const [name, value] of plan.set) out.push(name, value);
  return out;
}

/** Replies from stored responses written on Node's response in one head: the stored fields as they are, Gerbang's own fields, the body. */
import type { ServerResponse } from 'node:http';
import type { ResponseHeaderPlan } from '../policy/header-plan.js';
import { policyHead } from '../policy/response-headers.js';
import type { GatewayReply } from '../routing/exchange.js';
import type { StoredHeaders } from './cache-entry.js';
import { GERBANG_CACHE_CONTROL } from './targeted-cache-control.js';

/** A response head for writeHead: names and values in one flat list (a name may repeat). */
export type Head = string[];

/**
 * Appends stored fields except content-length (the reply states the length it sends) and `replaced`, a field
 * the reply sets itself. Nothing is added: a response stored without a type is served without one, as the
 * backend sent it (a legacy portal's untyped page would otherwise turn into a download).
 */
export function pushStoredFields(
  head: Head,
  fields: StoredHeaders,
  only?: readonly string[],
  replaced?: string,
): void {
  for (const name of only ?? Object.keys(fields)) {
    // Gerbang-Cache-Control is stored for the freshness a 304 recomputes, and is for Gerbang alone.
    if (name === 'content-length' || name === replaced || name === GERBANG_CACHE_CONTROL) continue;
    const value = fields[name];
    if (value === undefined) continue;
    if (typeof value === 'string') head.push(name, value);
    else for (const v of value) head.push(name, v);
  }
}

/** The stored fields as a head, built once per stored header object (a 304 refresh replaces the object). */
const FIELDS = new WeakMap<StoredHeaders, Head>();

/** A shared list: copy it before adding to it. */
export function storedFieldsOf(fields: StoredHeaders): Head {
  let head = FIELDS.get(fields);
  if (head === undefined) {
    head = [];
    pushStoredFields(head, fields);
    FIELDS.set(fields, head);
  }
  return head;
}

/** A stored response's fields under a header policy, built once per (stored fields, plan): a policy change builds anew. */
const WITH_POLICY = new WeakMap<StoredHeaders, { plan: ResponseHeaderPlan; head: Head }>();

/** A shared list, as storedFieldsOf's: copy it before adding to it. */
export function storedFieldsUnder(plan: ResponseHeaderPlan | undefined, fields: StoredHeaders): Head {
  if (plan === undefined) return storedFieldsOf(fields);
  const memo = WITH_POLICY.get(fields);
  if (memo !== undefined && memo.plan === plan) return memo.head;
  const head = policyHead(plan, storedFieldsOf(fields));
  WITH_POLICY.set(fields, { plan, head });
  return head;
}

/** Writes head and body on the raw response; a HEAD gets the head only. */
export function writeStored(res: ServerResponse, status: number, head: Head, body: Buffer | undefined): void {
  res.writeHead(status, head);
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * The same through the request's reply (the cache flow's): the fields already set on it (HSTS) are Gerbang's
 * and win over stored ones of the same name; the access line comes from the listener's observer on close.
 */
export function sendStored(reply: GatewayReply, status: number, head: Head, body: Buffer | undefined): void {
  const own = reply.getHeaders();
  // The host's header policy on the stored fields, as sendUpstream applies it to a proxied response.
  const plan = reply.request.gerbang?.route?.responseHeaders;
  const base = plan === undefined ? head : policyHead(plan, head);
  let full = base;
  const names = Object.keys(own);
  if (names.length > 0) {
    full = [];
    for (let i = 0; i < base.length; i += 2) {
      const name = base[i] as string;
      if (own[name] === undefined) full.push(name, base[i + 1] as string);
    }
    for (const name of names) {
      const value = own[name];
      if (Array.isArray(value)) for (const v of value) full.push(name, v);
      else if (value !== undefined) full.push(name, String(value));
    }
  }
  reply.hijack();
  writeStored(reply.raw, status, full, body);
}

/** A stored response sent in the coding its request negotiated: the stored variant when there is one, else made once from the identity body. */
import type { CacheEntry } from '../cache/cache-entry.js';
import { type Head, pushStoredFields, sendStored } from '../cache/stored-reply.js';
import type { ResponseHeaderPlan } from '../policy/header-plan.js';
import { policyHead } from '../policy/response-headers.js';
import type { GatewayReply, GatewayRequest } from '../routing/exchange.js';
import type { Coding } from './negotiate.js';
import { makeVariant, representationHead, storedVariant } from './stored-variants.js';

/** The fields a 304 carries (serve-entry's list) for this representation: its own ETag and Vary. */
export function pushNotModifiedFields(
  head: Head,
  entry: CacheEntry,
  coding: Coding,
  fields: readonly string[],
): void {
  pushStoredFields(
    head,
    entry.headers,
    fields.filter((name) => name !== 'etag' && name !== 'vary'),
  );
  const rep = representationHead(entry.headers, coding);
  for (let i = 0; i < rep.length; i += 2) {
    const name = rep[i] as string;
    if (name === 'etag' || name === 'vary') head.push(name, rep[i + 1] as string);
  }
}

function send(reply: GatewayReply, entry: CacheEntry, coding: Coding, body: Buffer, own: Head): void {
  const head = representationHead(entry.headers, coding).concat('content-length', String(body.length), own);
  sendStored(reply, entry.status, head, body);
}

/**
 * Sends `entry` (a stored 2xx with a body, to a GET that may get it compressed) in `coding`. A variant not
 * stored yet is made now, once for every hit asking for it meanwhile; the ones after get the stored bytes.
 */
export function sendStoredRepresentation(
  request: GatewayRequest,
  reply: GatewayReply,
  entry: CacheEntry,
  coding: Coding,
  own: Head,
): void {
  if (coding === 'identity') {
    send(reply, entry, 'identity', entry.body, own);
    return;
  }
  const plan = request.gerbang.route?.compression;
  const meter = reply.server.gerbangCompression;
  const host = request.gerbang.host?.name ?? '';
  const answer = (encoded: Buffer | null): void => {
    // The client left while its variant was made: the variant is kept for the next one.
    if (reply.raw.destroyed) return;
    if (encoded === null) {
      send(reply, entry, 'identity', entry.body, own);
      return;
    }
    meter?.sent(host, coding, entry.body.length, encoded.length);
    send(reply, entry, coding, encoded, own);
  };
  const stored = storedVariant(entry, coding);
  if (stored !== undefined || plan === undefined) {
    answer(stored ?? null);
    return;
  }
  makeVariant({ entry, coding, plan, meter, host }, answer);
}

/** The fresh-hit front's head for a stored representation: the policy applied, `replaced` (HSTS) left to the caller. */
export function frontHead(
  entry: CacheEntry,
  coding: Coding,
  plan: ResponseHeaderPlan | undefined,
  replaced: string | undefined,
): Head {
  let head = representationHead(entry.headers, coding);
  if (replaced !== undefined && entry.headers[replaced] !== undefined) {
    const kept: Head = [];
    for (let i = 0; i < head.length; i += 2) {
      if (head[i] !== replaced) kept.push(head[i] as string, head[i + 1] as string);
    }
    head = kept;
  }
  return plan === undefined ? head.slice() : policyHead(plan, head);
}

/** Picks the content coding for a response from the request's Accept-Encoding (RFC 9110 §12.5.3), q-values and `*` included. */
import { MAX_ACCEPT_ENCODING_MEMBERS } from '../../config/defaults.js';

/** The codings Gerbang produces, in its order of preference when the client weighs them the same. */
export type Encoding = 'br' | 'zstd' | 'gzip';
/** What a response is sent in: a coding, or the body as the backend wrote it. */
export type Coding = Encoding | 'identity';

/**
 * br first: every browser that asks for it decodes it, and it is the smallest on HTML at on-the-fly levels;
 * zstd next (faster, a little larger); gzip last, as everyone has it.
 */
export const PREFERENCE: readonly Encoding[] = ['br', 'zstd', 'gzip'];

/** q as RFC 9110 §12.4.2 writes it (0 to 1, at most three decimals); anything else reads as 1, as browsers send no junk. */
function qOf(params: string): number {
  const at = params.search(/q\s*=/i);
  if (at < 0) return 1;
  const value = Number.parseFloat(params.slice(params.indexOf('=', at) + 1).trim());
  if (!Number.isFinite(value)) return 1;
  return Math.min(1, Math.max(0, value));
}

/** The coding a known name stands for (x-gzip is gzip, RFC 9110 §8.4.1.3). */
function codingOf(name: string): Coding | '*' | undefined {
  switch (name) {
    case 'br':
    case 'zstd':
    case 'gzip':
    case 'identity':
    case '*':
      return name;
    case 'x-gzip':
      return 'gzip';
    default:
      return undefined;
  }
}

/** One memo: a site's clients mostly send the same one or two headers, so the fresh-hit path rarely parses. */
let lastHeader: string | undefined;
let lastCoding: Coding = 'identity';

/**
 * The coding to send: the acceptable one with the highest q, ties broken by PREFERENCE, identity when no coding
 * of ours is acceptable (also when identity itself is refused: the body as it is beats a 406 for a portal's page).
 * Only the first MAX_ACCEPT_ENCODING_MEMBERS members count, so a huge header costs a bounded parse.
 */
export function negotiate(header: string | string[] | undefined): Coding {
  if (header === undefined) return 'identity';
  const text = typeof header === 'string' ? header : header.join(',');
  if (text === lastHeader) return lastCoding;
  const q: Record<Coding | '*', number | undefined> = {
    br: undefined,
    zstd: undefined,
    gzip: undefined,
    identity: undefined,
    '*': undefined,
  };
  let start = 0;
  for (let n = 0; n < MAX_ACCEPT_ENCODING_MEMBERS && start < text.length; n++) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    const member = text.slice(start, end);
    start = end + 1;
    const semi = member.indexOf(';');
    const name = (semi < 0 ? member : member.slice(0, semi)).trim().toLowerCase();
    const coding = codingOf(name);
    if (coding === undefined) continue;
    const value = semi < 0 ? 1 : qOf(member.slice(semi + 1));
    // Repeated names: the highest weight stands (a client naming gzip twice means it).
    q[coding] = Math.max(q[coding] ?? 0, value);
  }
  let best: Coding = 'identity';
  let bestQ = 0;
  for (const coding of PREFERENCE) {
    const weight = q[coding] ?? q['*'] ?? 0;
    if (weight > bestQ) {
      best = coding;
      bestQ = weight;
    }
  }
  // identity with a higher weight than every coding of ours (`br;q=0.1, identity`): the client prefers it.
  const identityQ = q.identity ?? 1;
  if (best !== 'identity' && q.identity !== undefined && identityQ > bestQ) best = 'identity';
  if (text.length <= 256) {
    lastHeader = text;
    lastCoding = best;
  }
  return best;
}

/** One memo, as for negotiate(): the same few headers come again and again. */
let lastListHeader: string | undefined;
let lastList = '';

/**
 * Accept-Encoding as a cache key (a backend's `Vary: Accept-Encoding`): the codings the client accepts (q > 0),
 * lower case, x-gzip as gzip, sorted, without weights or spacing. Two clients with the same key accept the same
 * codings, so whatever the backend chose for one suits the other; Chrome's and Firefox's spellings share one.
 */
export function acceptedCodingsKey(text: string): string {
  if (text === lastListHeader) return lastList;
  const names = new Set<string>();
  let start = 0;
  for (let n = 0; n < MAX_ACCEPT_ENCODING_MEMBERS && start < text.length; n++) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    const member = text.slice(start, end);
    start = end + 1;
    const semi = member.indexOf(';');
    let name = (semi < 0 ? member : member.slice(0, semi)).trim().toLowerCase();
    if (name === '') continue;
    if (name === 'x-gzip') name = 'gzip';
    if (semi >= 0 && qOf(member.slice(semi + 1)) <= 0) continue;
    names.add(name);
  }
  const key = [...names].sort().join(',');
  if (text.length <= 256) {
    lastListHeader = text;
    lastList = key;
  }
  return key;
}

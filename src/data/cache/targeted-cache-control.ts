/** The directives Gerbang's shared cache obeys: Gerbang-Cache-Control, then CDN-Cache-Control, then Cache-Control (RFC 9213 §2.2). */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { type Directives, parseCacheControl } from './cache-control.js';
import { parseSfDictionary } from './structured-dictionary.js';

/**
 * Gerbang's own targeted field: meant for Gerbang alone, so it never leaves Gerbang (a browser or a CDN in front
 * has no use for it, and it tells them how the backend steers the edge). It is kept in stored headers, because a
 * 304 refresh recomputes freshness from them, and dropped by every writer of a response (dropOwnTargetedField).
 */
export const GERBANG_CACHE_CONTROL = 'gerbang-cache-control';
/**
 * Targets every CDN cache on the path (RFC 9213 §3): passed on unchanged, so a CDN an agency puts in front of
 * Gerbang reads the same policy Gerbang used.
 */
export const CDN_CACHE_CONTROL = 'cdn-cache-control';

/** Gerbang's target list, most specific first (RFC 9213 §2.2). */
const TARGET_LIST = [GERBANG_CACHE_CONTROL, CDN_CACHE_CONTROL] as const;

/** Directives whose value is delta-seconds: an Integer in a targeted field (RFC 9213 §2.1), anything else drops them. */
const DELTA_SECONDS = new Set(['max-age', 's-maxage', 'stale-while-revalidate', 'stale-if-error']);

/** A response head as received or as stored. */
type FieldsOf = Readonly<Record<string, string | string[] | undefined>>;

export interface SharedCacheDirectives {
  cc: Directives;
  /** A targeted field decided: Cache-Control and Expires are then ignored by the cache (RFC 9213 §2.2). */
  targeted: boolean;
}

/**
 * One targeted field as directives, or undefined when it is absent, empty or not a valid Structured Field
 * Dictionary (RFC 9213 §2.1: such a field is ignored, as if it were not there). A member of an unexpected type
 * (max-age="60", no-store=?0, a decimal) is dropped on its own: the field stays valid.
 */
export function targetedDirectives(value: string | string[] | undefined): Directives | undefined {
  if (value === undefined) return undefined;
  const dict = parseSfDictionary(Array.isArray(value) ? value.join(',') : value);
  if (dict === undefined || dict.size === 0) return undefined;
  const out: Directives = {};
  for (const [name, item] of dict) {
    if (DELTA_SECONDS.has(name)) {
      if (item.type === 'integer' && item.value >= 0) out[name] = String(item.value);
    } else if (item.type === 'boolean') {
      if (item.value) out[name] = true;
    } else if (item.type === 'string' || item.type === 'token') out[name] = item.value;
    else if (item.type === 'integer' && item.value >= 0) out[name] = String(item.value);
  }
  return out;
}

/** The directives a response carries for Gerbang's shared cache: the first valid targeted field, else Cache-Control. */
export function sharedCacheDirectives(headers: FieldsOf): SharedCacheDirectives {
  for (const name of TARGET_LIST) {
    const cc = targetedDirectives(headers[name]);
    if (cc !== undefined) return { cc, targeted: true };
  }
  return { cc: parseCacheControl(headers['cache-control']), targeted: false };
}

/** Removes Gerbang's own targeted field from a head about to be written (only when present: deleting reshapes the object). */
export function dropOwnTargetedField(headers: IncomingHttpHeaders | OutgoingHttpHeaders): void {
  if (headers[GERBANG_CACHE_CONTROL] !== undefined) delete headers[GERBANG_CACHE_CONTROL];
}

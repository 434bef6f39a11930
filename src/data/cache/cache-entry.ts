/** A stored response: headers, body and the freshness facts computed once when it is stored (RFC 9111 §4.2). */
import type { IncomingHttpHeaders } from 'node:http';
import type { EncodedVariants } from '../compression/stored-variants.js';
import { deltaSeconds, fieldNames } from './cache-control.js';
import { parseHttpDate } from './http-date.js';
import { sharedCacheDirectives } from './targeted-cache-control.js';

export type StoredHeaders = Record<string, string | string[]>;

export interface CacheEntry {
  /** Primary key: scheme://host/path?query. */
  readonly key: string;
  /** The request's host name and the registered host (a wildcard for wildcard hosts): both purge it. */
  readonly hostName: string;
  readonly hostLabel: string;
  /** Path and query, for purges by prefix. */
  readonly url: string;
  readonly status: number;
  /** Response headers as stored: no hop-by-hop fields, no Age (computed per reply). */
  headers: StoredHeaders;
  readonly body: Buffer;
  readonly varyNames: readonly string[];
  readonly varyValues: readonly (string | undefined)[];
  /** ms epoch the response was received. */
  responseTime: number;
  /** corrected_initial_age (s). */
  initialAge: number;
  /** Freshness lifetime (s). */
  lifetime: number;
  /** stale-while-revalidate and stale-if-error windows (s). */
  swr: number;
  sie: number;
  /** must-revalidate, proxy-revalidate, s-maxage or no-cache: never reused stale without validation. */
  noStale: boolean;
  etag: string | undefined;
  lastModified: string | undefined;
  /** Bytes it costs in the memory tier (body plus an estimate of the headers). */
  readonly size: number;
  /** Compressed variants made from `body` (compression/stored-variants.ts); memory tier only, never sent to Redis. */
  encoded?: EncodedVariants | undefined;
}

/** Status codes that are heuristically cacheable (RFC 9110 §15.1). */
const HEURISTIC_STATUSES = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);
/** RFC 9111 §4.2.2 suggests 10 % of the time since Last-Modified; capped so a very old page is still rechecked daily. */
const HEURISTIC_FRACTION = 0.1;
const HEURISTIC_MAX_S = 24 * 3600;

/** Headers a cache must not store or must compute itself. */
const NOT_STORED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authentication-info',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'age',
  'x-request-id',
  // One client's state (storability.ts refuses responses with it; a 304 or HEAD that carries it must not add it).
  'set-cookie',
  'set-cookie2',
]);

/**
 * The fields a shared cache keeps: not hop-by-hop ones or those Connection names, not those a qualified
 * `private="..."` names (RFC 9111 §5.2.2.7: a shared cache must not store them), and not those a qualified
 * `no-cache="..."` names (§5.2.2.4: never reused without revalidation, so simply not kept).
 */
export function storedHeadersOf(headers: IncomingHttpHeaders): StoredHeaders {
  const out: StoredHeaders = {};
  const connection = headers.connection;
  const named = new Set<string>();
  if (connection !== undefined) {
    const list = Array.isArray(connection) ? connection.join(',') : connection;
    for (const s of list.split(',')) named.add(s.trim().toLowerCase());
  }
  const { cc } = sharedCacheDirectives(headers);
  for (const name of fieldNames(cc['no-cache'])) named.add(name);
  for (const name of fieldNames(cc.private)) named.add(name);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || NOT_STORED.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** The first value of a field that may have come on several lines. */
export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function httpDate(value: string | string[] | undefined): number | undefined {
  return parseHttpDate(single(value));
}

/** Age (RFC 9111 §5.1): the first member of the first line, when it is a delta-seconds; otherwise ignored. */
function ageSeconds(value: string | string[] | undefined): number {
  const first = single(value)?.split(',')[0]?.trim();
  return deltaSeconds(first) ?? 0;
}

export interface Freshness {
  initialAge: number;
  lifetime: number;
  swr: number;
  sie: number;
  noStale: boolean;
}

/** Freshness lifetime and initial age (RFC 9111 §4.2.1–§4.2.3) as a shared cache computes them. */
export function freshnessOf(
  status: number,
  headers: StoredHeaders,
  ageHeader: string | string[] | undefined,
  requestTime: number,
  responseTime: number,
): Freshness {
  // The targeted field Gerbang obeys, when valid, stands for Cache-Control and Expires (RFC 9213 §2.2).
  const { cc, targeted } = sharedCacheDirectives(headers);
  const date = httpDate(headers.date) ?? responseTime;
  let lifetime = 0;
  const sMaxage = cc['s-maxage'];
  const maxAge = cc['max-age'];
  if (sMaxage !== undefined) lifetime = deltaSeconds(sMaxage) ?? 0;
  else if (maxAge !== undefined) lifetime = deltaSeconds(maxAge) ?? 0;
  else if (!targeted && headers.expires !== undefined) {
    const expires = httpDate(headers.expires);
    lifetime = expires === undefined ? 0 : Math.max(0, (expires - date) / 1000);
  } else if (HEURISTIC_STATUSES.has(status) || cc.public === true) {
    const lastModified = httpDate(headers['last-modified']);
    if (lastModified !== undefined && lastModified < date) {
      lifetime = Math.min(HEURISTIC_MAX_S, ((date - lastModified) / 1000) * HEURISTIC_FRACTION);
    }
  }
  // Only the plain form forbids reuse without revalidation; the qualified one drops its fields (storedHeadersOf).
  const noCache = cc['no-cache'] === true;
  if (noCache) lifetime = 0;
  // §4.2.3: apparent age from Date, corrected Age from the Age header plus the response delay.
  const apparentAge = Math.max(0, (responseTime - date) / 1000);
  const ageValue = ageSeconds(ageHeader);
  const correctedAge = ageValue + (responseTime - requestTime) / 1000;
  return {
    initialAge: Math.max(apparentAge, correctedAge),
    lifetime,
    swr: deltaSeconds(cc['stale-while-revalidate']) ?? 0,
    sie: deltaSeconds(cc['stale-if-error']) ?? 0,
    noStale:
      noCache ||
      cc['must-revalidate'] !== undefined ||
      cc['proxy-revalidate'] !== undefined ||
      sMaxage !== undefined,
  };
}

/** Current age in seconds (§4.2.3). */
export function ageOf(entry: CacheEntry, now: number): number {
  return entry.initialAge + (now - entry.responseTime) / 1000;
}

export interface NewEntry {
  key: string;
  hostName: string;
  hostLabel: string;
  url: string;
  status: number;
  headers: StoredHeaders;
  ageHeader: string | string[] | undefined;
  body: Buffer;
  varyNames: readonly string[];
  varyValues: readonly (string | undefined)[];
  requestTime: number;
  responseTime: number;
}

export function makeEntry(input: NewEntry): CacheEntry {
  const f = freshnessOf(input.status, input.headers, input.ageHeader, input.requestTime, input.responseTime);
  let headerBytes = 0;
  for (const name in input.headers) headerBytes += name.length + String(input.headers[name]).length + 4;
  return {
    key: input.key,
    hostName: input.hostName,
    hostLabel: input.hostLabel,
    url: input.url,
    status: input.status,
    headers: input.headers,
    body: input.body,
    varyNames: input.varyNames,
    varyValues: input.varyValues,
    responseTime: input.responseTime,
    ...f,
    etag: single(input.headers.etag),
    lastModified: single(input.headers['last-modified']),
    size: input.body.length + headerBytes + input.key.length + 256,
  };
}

/** Folds a 304's headers into the entry (RFC 9111 §4.3.4) and restarts its freshness clock. */
export function refreshEntry(
  entry: CacheEntry,
  notModified: IncomingHttpHeaders,
  requestTime: number,
  responseTime: number,
): void {
  const update = storedHeadersOf(notModified);
  const headers: StoredHeaders = { ...entry.headers };
  for (const name in update) {
    // The stored body is reused, so fields describing it stay.
    if (name === 'content-length' || name === 'content-encoding' || name === 'content-range') continue;
    headers[name] = update[name] as string | string[];
  }
  entry.headers = headers;
  const f = freshnessOf(entry.status, headers, notModified.age, requestTime, responseTime);
  entry.responseTime = responseTime;
  entry.initialAge = f.initialAge;
  entry.lifetime = f.lifetime;
  entry.swr = f.swr;
  entry.sie = f.sie;
  entry.noStale = f.noStale;
  entry.etag = single(headers.etag);
  entry.lastModified = single(headers['last-modified']);
}

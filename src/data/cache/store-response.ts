/** Keeping a backend's response: the entry built from it and the exchange that asked, stored in every tier. */
import type { IncomingHttpHeaders } from 'node:http';
import { makeEntry, type StoredHeaders } from './cache-entry.js';
import type { CacheExchange } from './cache-exchange.js';
import { type SharedCache, varyValuesOf } from './shared-cache.js';

export interface ResponseToStore {
  ex: CacheExchange;
  hostLabel: string;
  /** The client request's headers: the values of the fields the response varies on. */
  requestHeaders: IncomingHttpHeaders;
  status: number;
  headers: IncomingHttpHeaders;
  /** `headers` as stored (storedHeadersOf). */
  stored: StoredHeaders;
  varyNames: string[];
  body: Buffer;
  requestTime: number;
  responseTime: number;
}

/** The largest body the exchange's route keeps. */
export function maxObjectBytes(cache: SharedCache, ex: CacheExchange): number {
  return ex.plan.maxObjectBytes ?? cache.config.maxObjectBytes;
}

export function storeResponse(cache: SharedCache, r: ResponseToStore): void {
  const ex = r.ex;
  // Every stored page is checked later (off this path); a flagged one is not kept where its host asked so.
  if (cache.defacement?.offerStored(r.hostLabel, ex.hostName, ex.url, r.status, r.headers, r.body)) return;
  cache.store(
    makeEntry({
      key: ex.key,
      hostName: ex.hostName,
      hostLabel: r.hostLabel,
      url: ex.url,
      status: r.status,
      headers: r.stored,
      ageHeader: r.headers.age,
      body: r.body,
      varyNames: r.varyNames,
      varyValues: varyValuesOf(r.requestHeaders, r.varyNames),
      requestTime: r.requestTime,
      responseTime: r.responseTime,
    }),
    ex.plan.serveStaleOnErrorMs,
  );
}

/** The one decision for a response on its way from a backend: whether it is compressed, its head made to say so, and the sink its body goes into. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Writable } from 'node:stream';
import type { GatewayReply, GatewayRequest } from '../routing/exchange.js';
import type { CompressionMeter } from './compression-meter.js';
import { announcedLength, mayCompress } from './eligibility.js';
import { encodeInto } from './encode-into.js';
import { encodedEtag, notModifiedEtag } from './etag.js';
import { negotiate } from './negotiate.js';
import { withAcceptEncoding } from './vary.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The compression counters of this gateway (public-app.ts decorates it); absent in apps that do not compress. */
    gerbangCompression?: CompressionMeter;
  }
}

function single(value: OutgoingHttpHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : String(value);
}

/**
 * Called with the head about to be written (`headers`, changed in place) and the response it goes on (`out`).
 * Returns `out` itself when the body goes as it is, else the encoder that writes into `out` (either keeps
 * the BodySink contract of proxy/upstream-body.ts). A 304 from the
 * backend to a client that held an encoded variant gets that variant's ETag back.
 */
export function compressResponse(
  reply: GatewayReply,
  status: number,
  headers: OutgoingHttpHeaders,
  out: Writable,
): Writable {
  const request = reply.request;
  const plan = request.gerbang?.route?.compression;
  if (plan === undefined) return out;
  const raw = request.raw;
  const requestHeaders: IncomingHttpHeaders = raw.headers;
  if (status === 304) {
    const etag = single(headers.etag);
    const inm = requestHeaders['if-none-match'];
    if (etag !== undefined && inm !== undefined) {
      const coding = negotiate(requestHeaders['accept-encoding']);
      const mine = notModifiedEtag(etag, coding, inm);
      if (mine !== etag) {
        headers.etag = mine;
        headers.vary = withAcceptEncoding(headers.vary);
      }
    }
    return out;
  }
  const length = announcedLength(headers);
  const head = raw.method === 'HEAD';
  if (
    !mayCompress({
      status,
      method: head ? 'GET' : raw.method,
      requestHeaders,
      headers,
      length,
      minBytes: plan.minBytes,
    })
  )
    return out;
  // The representation depends on Accept-Encoding from here on, whatever this client gets.
  headers.vary = withAcceptEncoding(headers.vary);
  // A HEAD's empty body is not encoded: it describes the identity GET.
  if (head) return out;
  const coding = negotiate(requestHeaders['accept-encoding']);
  if (coding === 'identity') return out;
  const meter = reply.server.gerbangCompression;
  // Every compressor taken (clients slow to read hold theirs): this one goes as the backend wrote it.
  if (meter !== undefined && !meter.takeStream()) return out;
  headers['content-encoding'] = coding;
  delete headers['content-length'];
  const etag = single(headers.etag);
  if (etag !== undefined) headers.etag = encodedEtag(etag, coding);
  return encodeInto({
    out,
    encoding: coding,
    levels: plan.levels,
    sizeHint: length,
    meter,
    host: request.gerbang.host?.name ?? '',
    request: raw,
  });
}

/**
 * For a response the cache is storing, before anything is written: the ETag and Vary the client's copy would
 * carry if it is compressed for this request (the client's If-None-Match is compared with that tag); undefined
 * when the response goes as it is.
 */
export function representationFields(
  request: GatewayRequest,
  status: number,
  headers: IncomingHttpHeaders,
): { etag: string | undefined; vary: string } | undefined {
  const plan = request.gerbang?.route?.compression;
  if (plan === undefined) return undefined;
  const raw = request.raw;
  const requestHeaders = raw.headers;
  const eligible = mayCompress({
    status,
    method: raw.method,
    requestHeaders,
    headers,
    length: announcedLength(headers),
    minBytes: plan.minBytes,
  });
  if (!eligible) return undefined;
  const etag = single(headers.etag);
  const coding = negotiate(requestHeaders['accept-encoding']);
  return {
    etag: etag === undefined ? undefined : encodedEtag(etag, coding),
    vary: withAcceptEncoding(headers.vary),
  };
}

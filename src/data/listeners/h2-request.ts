/** An HTTP/2 request before routing: Host taken from `:authority`, and the coalescing check that answers 421 for a name the connection's certificate does not cover. */
import type { IncomingMessage } from 'node:http';
import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';

/** Names a connection already checked, kept on its TLS socket: a coalesced connection asks for a handful. */
const COVERED = Symbol('gerbang.coveredNames');
const MAX_CHECKED_NAMES = 32;

type CheckedSocket = TLSSocket & { [COVERED]?: Map<string, boolean> };

/** The host part of an authority, lowercased, without port or brackets; undefined when there is none. */
function hostOf(authority: string): string | undefined {
  if (authority.charCodeAt(0) === 91 /* [ */) {
    const end = authority.indexOf(']');
    return end < 0 ? undefined : authority.slice(1, end).toLowerCase();
  }
  const colon = authority.lastIndexOf(':');
  const host = colon < 0 ? authority : authority.slice(0, colon);
  return host === '' ? undefined : host.toLowerCase();
}

function covers(socket: TLSSocket, host: string): boolean {
  // The session may be gone already (the socket proxy then has no TLS methods): nothing to answer on.
  if (typeof socket.getCertificate !== 'function') return false;
  const cert = socket.getCertificate();
  if (cert === null || !('subject' in cert)) return false;
  return checkServerIdentity(host, cert as PeerCertificate) === undefined;
}

/**
 * Request framing and host. RFC 9113 §8.3.1: `:authority` is the request's host; a Host field naming another is malformed (a second Host
 * for the routing front, which answers AMBIGUOUS_HOST). Returns true when the request is misdirected
 * (RFC 9110 §15.5.20): browsers reuse one connection for every name its certificate covers, so a name another
 * certificate serves must go over a new connection, never get this connection's answer.
 */
export function adoptHttp2Request(req: IncomingMessage): boolean {
  const headers = req.headers;
  // HTTP/2 frames a body by its stream, not by a field: without Content-Length, one still to come is what
  // chunked says over HTTP/1.1 (RFC 9113 §8.1), and what fastify and the proxy read as "a body follows".
  const stream = (req as IncomingMessage & { stream?: { endAfterHeaders?: boolean } }).stream;
  if (stream?.endAfterHeaders === false && headers['content-length'] === undefined)
    headers['transfer-encoding'] = 'chunked';
  const authority = headers[':authority'];
  if (typeof authority === 'string') {
    const host = headers.host;
    if (host === undefined) headers.host = authority;
    else if (host !== authority) req.rawHeaders.push('host', authority);
  }
  const requested = headers.host;
  if (requested === undefined) return false;
  const socket = req.socket as CheckedSocket;
  const sni = socket.servername;
  // Without SNI the client named no host for the connection: nothing was coalesced (as over HTTP/1.1).
  if (typeof sni !== 'string' || sni === '') return false;
  const host = hostOf(requested);
  if (host === undefined) return false;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === sni.toLowerCase()) return false;
  let checked = socket[COVERED];
  if (checked === undefined) {
    checked = new Map();
    socket[COVERED] = checked;
  }
  let covered = checked.get(name);
  if (covered === undefined) {
    covered = covers(socket, name);
    if (checked.size < MAX_CHECKED_NAMES) checked.set(name, covered);
  }
  return !covered;
}

/** Probes a legacy portal before it moves behind Gerbang: every hop checked against the backend policy, bounded in time, redirects and bytes. */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { MAX_ONBOARD_BODY_BYTES, MAX_ONBOARD_REDIRECTS } from '../../config/defaults.js';
import type { TargetPolicy } from '../../model/target-policy.js';
import { parseTarget } from '../../model/target-url.js';
import { parsePortalUrl } from './portal-url.js';

export interface ProbeHop {
  url: string;
  status: number;
  location?: string;
}

export interface CertificateFacts {
  /** Trusted by the system's CAs for the name asked for. */
  valid: boolean;
  error?: string;
  subject?: string;
  issuer?: string;
  validFrom?: string;
  validTo?: string;
  daysLeft?: number;
}

export interface ProbeReport {
  url: string;
  reachable: boolean;
  /** Why the probe stopped early (timeout, refused, a redirect the policy forbids, too many redirects). */
  error?: string;
  finalUrl?: string;
  status?: number;
  redirects: ProbeHop[];
  certificate?: CertificateFacts;
  server?: string;
  poweredBy?: string;
  /** Header fields that give a software version away (`Server: Apache/2.2.15`, `X-Powered-By: PHP/5.3.3`). */
  versionLeaks: string[];
  title?: string;
  cache: Record<string, string>;
  /** Time to the final answer's headers, redirects included. */
  responseMs?: number;
}

const LEAKY_FIELDS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator'];
const CACHE_FIELDS = ['cache-control', 'expires', 'etag', 'last-modified', 'age', 'pragma', 'vary'];
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

export function titleOf(html: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = match?.[1] ? decodeEntities(match[1]).replace(/\s+/g, ' ').trim() : '';
  return title ? title.slice(0, 120) : undefined;
}

/** Resolves like dns.lookup, refusing any address the policy forbids: a name cannot rebind past the check. */
function guardedLookup(policy: TargetPolicy, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const { address } of addresses) {
        const why = policy.refusal(address, port);
        if (why) return callback(Object.assign(new Error(why), { code: 'TARGET_FORBIDDEN' }), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (first === undefined)
        return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}

interface HopAnswer {
  response: IncomingMessage;
  certificate?: CertificateFacts;
}

function certificateOf(socket: TLSSocket): CertificateFacts {
  const peer = socket.getPeerCertificate();
  const facts: CertificateFacts = { valid: socket.authorized };
  if (!socket.authorized && socket.authorizationError) facts.error = String(socket.authorizationError);
  if (peer && Object.keys(peer).length > 0) {
    if (peer.subject?.CN) facts.subject = String(peer.subject.CN);
    if (peer.issuer?.O ?? peer.issuer?.CN) facts.issuer = String(peer.issuer.O ?? peer.issuer.CN);
    const from = new Date(peer.valid_from);
    const to = new Date(peer.valid_to);
    if (!Number.isNaN(from.getTime())) facts.validFrom = from.toISOString();
    if (!Number.isNaN(to.getTime())) {
      facts.validTo = to.toISOString();
      facts.daysLeft = Math.floor((to.getTime() - Date.now()) / 86_400_000);
    }
  }
  return facts;
}

function requestOnce(url: URL, policy: TargetPolicy, signal: AbortSignal): Promise<HopAnswer> {
  const isHttps = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : isHttps ? 443 : 80;
  return new Promise((resolve, reject) => {
    let certificate: CertificateFacts | undefined;
    const options = {
      method: 'GET',
      agent: false as const,
      signal,
      lookup: guardedLookup(policy, port),
      headers: {
        'user-agent': 'Gerbang-onboard/1',
        accept: 'text/html,*/*;q=0.5',
        'accept-encoding': 'identity',
      },
      ...(isHttps ? { rejectUnauthorized: false } : {}),
    };
    const req = (isHttps ? https : http).request(url, options, (response) =>
      resolve({ response, ...(certificate ? { certificate } : {}) }),
    );
    if (isHttps) {
      req.once('socket', (socket) =>
        socket.once('secureConnect', () => {
          certificate = certificateOf(socket as TLSSocket);
        }),
      );
    }
    req.once('error', reject);
    req.end();
  });
}

/** At most `limit` bytes of the body, then the connection is dropped: a huge or endless page costs no more. */
function readSome(response: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = () => {
      response.destroy();
      resolve(Buffer.concat(parts, Math.min(size, limit)).subarray(0, limit));
    };
    response.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
      if (size >= limit) done();
    });
    response.once('end', done);
    response.once('error', done);
    response.once('close', done);
  });
}

function reasonOf(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ABORT_ERR')
    return `no complete answer within ${timeoutMs} ms`;
  return e.code ? `${e.code}: ${e.message ?? ''}`.trim() : (e.message ?? String(err));
}

/** Probes `raw`; a first address the policy forbids is refused (TARGET_FORBIDDEN), anything later is reported. */
export async function probePortal(
  raw: string,
  policy: TargetPolicy,
  timeoutMs: number,
): Promise<ProbeReport> {
  const url = parsePortalUrl(raw);
  await policy.check(parseTarget(url.origin, '/url'), '/url');

  const report: ProbeReport = { url: url.href, reachable: false, redirects: [], versionLeaks: [], cache: {} };
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      if (hop > 0) {
        try {
          await policy.check(parseTarget(current.origin, 'redirect'), 'redirect');
        } catch (err) {
          report.error = `redirect to ${current.href} not followed: ${(err as Error).message}`;
          return report;
        }
      }
      const { response, certificate } = await requestOnce(current, policy, signal);
      report.reachable = true;
      if (certificate && hop === 0 && url.protocol === 'https:') report.certificate = certificate;
      else if (certificate && report.certificate === undefined) report.certificate = certificate;
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.destroy();
        const next = new URL(location, current);
        report.redirects.push({ url: current.href, status, location: next.href });
        if (report.redirects.length > MAX_ONBOARD_REDIRECTS) {
          report.error = `more than ${MAX_ONBOARD_REDIRECTS} redirects`;
          return report;
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          report.error = `redirect to ${next.protocol} not followed`;
          return report;
        }
        current = next;
        continue;
      }
      report.responseMs = Math.round(performance.now() - started);
      report.finalUrl = current.href;
      report.status = status;
      for (const field of LEAKY_FIELDS) {
        const value = response.headers[field];
        if (typeof value !== 'string') continue;
        if (field === 'server') report.server = value;
        if (field === 'x-powered-by') report.poweredBy = value;
        if (/\d/.test(value)) report.versionLeaks.push(`${field}: ${value}`);
      }
      for (const field of CACHE_FIELDS) {
        const value = response.headers[field];
        if (typeof value === 'string') report.cache[field] = value;
      }
      const type = response.headers['content-type'] ?? '';
      const body = await readSome(response, MAX_ONBOARD_BODY_BYTES);
      if (signal.aborted) throw signal.reason;
      if (/html/i.test(type) || type === '') {
        const title = titleOf(body.toString('utf8'));
        if (title !== undefined) report.title = title;
      }
      return report;
    }
  } catch (err) {
    report.error = reasonOf(err, timeoutMs);
    return report;
  }
}

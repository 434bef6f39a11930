/** Bench ceilings of the TLS cases: node:https (HTTP/1.1) or node:http2 on its stream API (no compat layer), each + undici dispatch: the least a Node proxy can do over TLS. */
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { createSecureServer, type IncomingHttpHeaders as H2Headers, constants as h2 } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { type Dispatcher, Pool } from 'undici';
import { HOP_BY_HOP, UPSTREAM_CONNECTIONS } from './ceiling-fields.js';
import { serveForBench } from './script-server.js';

const upstream = process.env.BENCH_UPSTREAM;
const certFile = process.env.BENCH_CERT_FILE;
const keyFile = process.env.BENCH_KEY_FILE;
const mode = process.env.BENCH_TLS_MODE;
if (!upstream || !certFile || !keyFile || (mode !== 'h1' && mode !== 'h2'))
  throw new Error('BENCH_UPSTREAM, BENCH_CERT_FILE, BENCH_KEY_FILE and BENCH_TLS_MODE (h1|h2) are required');

const pool = new Pool(upstream, { connections: UPSTREAM_CONNECTIONS });
const tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };

/** The request's fields without hop-by-hop ones and HTTP/2 pseudo-fields (`:authority` becomes Host). */
function upstreamHeaders(headers: IncomingHttpHeaders | H2Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    if (name.charCodeAt(0) === 58 /* : */) {
      if (name === ':authority') out.host = value as string;
      continue;
    }
    out[name] = value as string | string[];
  }
  return out;
}

/** undici's raw response head as a fields object, hop-by-hop left out (HTTP/2's respond() takes an object). */
function responseHeaders(raw: Buffer[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString('latin1').toLowerCase();
    if (!HOP_BY_HOP.has(name)) out[name] = (raw[i + 1] as Buffer).toString('latin1');
  }
  return out;
}

/** Where the answer goes: an HTTP/1.1 response or an HTTP/2 stream, each with write/end/drain. */
interface Sink {
  head(status: number, headers: OutgoingHttpHeaders): void;
  write(chunk: Buffer): boolean;
  end(): void;
  fail(err: Error): void;
  onDrain(resume: () => void): void;
}

function proxy(method: string, path: string, headers: Record<string, string | string[]>, sink: Sink): void {
  let resume: (() => void) | undefined;
  sink.onDrain(() => resume?.());
  const handler: Dispatcher.DispatchHandler = {
    onConnect() {},
    onHeaders(statusCode, rawHeaders, resumeUpstream) {
      sink.head(statusCode, responseHeaders(rawHeaders));
      resume = resumeUpstream;
      return true;
    },
    onData: (chunk) => sink.write(chunk),
    onComplete: () => sink.end(),
    onError: (err) => sink.fail(err),
  };
  pool.dispatch({ method: method as Dispatcher.HttpMethod, path, headers, body: null }, handler);
}

function h1Sink(res: ServerResponse): Sink {
  return {
    head: (status, headers) => res.writeHead(status, headers),
    write: (chunk) => res.write(chunk),
    end: () => res.end(),
    fail: (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`bad gateway: ${err.message}\n`);
    },
    onDrain: (resume) => res.on('drain', resume),
  };
}

const server =
  mode === 'h1'
    ? createHttpsServer(tls, (req, res) =>
        proxy(req.method ?? 'GET', req.url ?? '/', upstreamHeaders(req.headers), h1Sink(res)),
      )
    : createSecureServer({ ...tls, allowHTTP1: false });

if (mode === 'h2') {
  // The harness's probe speaks HTTP/1.1: a connection that did not pick h2 is served by a plain node:http server
  // (what allowHTTP1 does, without putting every HTTP/2 stream through the compat layer).
  const h1 = createHttpServer((req, res) =>
    proxy(req.method ?? 'GET', req.url ?? '/', upstreamHeaders(req.headers), h1Sink(res)),
  );
  server.on('unknownProtocol', (socket) => h1.emit('connection', socket));
  // The stream API: no Http2ServerRequest/Response objects, the cheapest HTTP/2 answer Node has.
  server.on('stream', (stream, headers) => {
    proxy(
      (headers[h2.HTTP2_HEADER_METHOD] as string) ?? 'GET',
      (headers[h2.HTTP2_HEADER_PATH] as string) ?? '/',
      upstreamHeaders(headers),
      {
        head: (status, fields) => stream.respond({ ...fields, [h2.HTTP2_HEADER_STATUS]: status }),
        write: (chunk) => stream.write(chunk),
        end: () => stream.end(),
        fail: (err) => {
          if (!stream.headersSent) stream.respond({ [h2.HTTP2_HEADER_STATUS]: 502 });
          stream.end(`bad gateway: ${err.message}\n`);
        },
        onDrain: (resume) => stream.on('drain', resume),
      },
    );
  });
}

serveForBench(server);

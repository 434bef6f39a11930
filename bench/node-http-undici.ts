/** Bench ceiling of the proxied path: node:http + undici's dispatch API, the least a Node proxy can do (forward, drop hop-by-hop fields, stream back with backpressure). */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, Pool } from 'undici';
import { HOP_BY_HOP, UPSTREAM_CONNECTIONS } from './ceiling-fields.js';
import { serveForBench } from './script-server.js';

const upstream = process.env.BENCH_UPSTREAM;
if (!upstream) throw new Error('BENCH_UPSTREAM (the backend URL) is required');

const pool = new Pool(upstream, { connections: UPSTREAM_CONNECTIONS });

function withoutHopByHop(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** undici's raw response head (name, value, name, value...) as the flat list writeHead takes, hop-by-hop left out. */
function rawWithoutHopByHop(raw: Buffer[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1');
    if (!HOP_BY_HOP.has(name.toLowerCase())) out.push(name, raw[i + 1]!.toString('latin1'));
  }
  return out;
}

const server = createServer((req, res) => {
  const hasBody =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  let resumeUpstream: (() => void) | undefined;
  // undici 7's Client takes the handler API it has always had (onConnect/onHeaders/onData), as Gerbang's own does.
  const handler: Dispatcher.DispatchHandler = {
    onConnect() {},
    onHeaders(statusCode, rawHeaders, resume) {
      res.writeHead(statusCode, rawWithoutHopByHop(rawHeaders));
      resumeUpstream = resume;
      return true;
    },
    // Backpressure: false pauses the upstream read until the client's socket drains.
    onData(chunk) {
      return res.write(chunk);
    },
    onComplete() {
      res.end();
    },
    onError(err) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`bad gateway: ${err.message}\n`);
    },
  };
  res.on('drain', () => resumeUpstream?.());
  res.on('close', () => {
    if (!res.writableFinished) req.destroy();
  });
  pool.dispatch(
    {
      method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
      path: req.url ?? '/',
      headers: withoutHopByHop(req.headers),
      body: hasBody ? req : null,
    },
    handler,
  );
});
server.keepAliveTimeout = 65_000;

serveForBench(server);

/** Bench backend: a bare node:http server answering every request with the same cacheable 1 KiB page. */
import { createServer } from 'node:http';
import { BODY_BYTES, BODY_ETAG } from './defaults.js';

/** Longer than any proxy's upstream keep-alive, so pooled connections are never cut under load. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

const head = '<!doctype html><html><head><title>bench</title></head><body><p>';
const tail = '</p></body></html>\n';
const body = Buffer.from(head + 'x'.repeat(BODY_BYTES - head.length - tail.length) + tail);
if (body.length !== BODY_BYTES) throw new Error(`backend body is ${body.length} bytes, not ${BODY_BYTES}`);

const headers = {
  'content-type': 'text/html; charset=utf-8',
  'content-length': String(body.length),
  'cache-control': 'public, max-age=60',
  etag: BODY_ETAG,
};

const server = createServer((req, res) => {
  req.resume();
  if (req.headers['if-none-match'] === BODY_ETAG) {
    res.writeHead(304, { 'cache-control': headers['cache-control'], etag: BODY_ETAG });
    res.end();
    return;
  }
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
});
server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ ready: true, port });
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

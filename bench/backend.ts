/** Bench Node origin: a bare node:http server answering with the same cacheable pages as the nginx origin (the 1 KiB page, or the 40 KiB one at its path). */
import { createServer } from 'node:http';
import { BODY_ETAG } from './defaults.js';
import { BIG_PAGE, BIG_PAGE_PATH, SMALL_PAGE } from './pages.js';
import { serveForBench } from './script-server.js';

/** Longer than any proxy's upstream keep-alive, so pooled connections are never cut under load. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const BIG_ETAG = '"bench-40k-v1"';

const headersOf = (body: Buffer, etag: string) => ({
  'content-type': 'text/html; charset=utf-8',
  'content-length': String(body.length),
  'cache-control': 'public, max-age=60',
  etag,
});
const small = { body: SMALL_PAGE, etag: BODY_ETAG, headers: headersOf(SMALL_PAGE, BODY_ETAG) };
const big = { body: BIG_PAGE, etag: BIG_ETAG, headers: headersOf(BIG_PAGE, BIG_ETAG) };

const server = createServer((req, res) => {
  req.resume();
  const page = req.url === BIG_PAGE_PATH ? big : small;
  if (req.headers['if-none-match'] === page.etag) {
    res.writeHead(304, { 'cache-control': page.headers['cache-control'], etag: page.etag });
    res.end();
    return;
  }
  res.writeHead(200, page.headers);
  res.end(req.method === 'HEAD' ? undefined : page.body);
});
server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

serveForBench(server);

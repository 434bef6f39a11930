import t from 'tap';
import { attackSize, backToBaseline, openFds } from '../helpers/attack.js';
import { http, rawRequest } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'berita.paserkab.go.id';
const BATCH = 16;

/** What a scanner for web cache poisoning sends for each URL: unkeyed inputs a legacy portal reflects into links. */
function poisoned(path: string, variant: number): string {
  const tail = 'Accept: text/html\r\nConnection: close\r\n\r\n';
  switch (variant % 8) {
    case 0:
      return `GET ${path} HTTP/1.1\r\nHost: ${HOST}:1\r\n${tail}`;
    case 1:
      return `GET ${path} HTTP/1.1\r\nHost: BERITA.paserkab.go.id.\r\n${tail}`;
    case 2:
      return `GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Port: 1\r\n${tail}`;
    case 3:
      return `GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\nX_Forwarded_Host: evil.example\r\nX-Forwarded-Prefix: /evil\r\n${tail}`;
    case 4:
      return `GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\nX-Original-URL: /evil\r\nX-Forwarded-Scheme: evil\r\n${tail}`;
    case 5:
      return `GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\nHost: evil.example\r\n${tail}`;
    case 6:
      return `GET http://evil.example${path} HTTP/1.1\r\nHost: ${HOST}\r\n${tail}`;
    default:
      return `GET /evil\\..${path.replaceAll('/', '\\')} HTTP/1.1\r\nHost: ${HOST}\r\n${tail}`;
  }
}

t.test('poisoning attempts on many URLs leave every stored page clean and nothing open', async (t) => {
  // A legacy portal that builds its links from every header a framework might trust.
  const { backend, gw } = await proxiedHost(t, HOST, (req, res) => {
    const h = req.headers;
    const base = `${h['x-forwarded-scheme'] ?? 'http'}://${h['x-forwarded-host'] ?? h.host}${h['x-forwarded-prefix'] ?? ''}`;
    const body = `<a href="${base}/login">${h.host} ${h['x-forwarded-port']} ${h.x_forwarded_host} ${h['x-original-url']} ${req.url}</a>`;
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'public, max-age=300' });
    res.end(body);
  });
  const port = gw.gateway.ports.http;
  const fds = openFds();
  const urls = attackSize(16, 400);
  const paths = Array.from({ length: urls }, (_, i) => `/berita/${i}`);
  const started = Date.now();
  for (let from = 0; from < paths.length && Date.now() - started < 60_000; from += BATCH) {
    await Promise.all(
      paths.slice(from, from + BATCH).map((path, i) => rawRequest(port, poisoned(path, from + i))),
    );
  }
  const leaked = backend.seen.filter(
    (s) => JSON.stringify(s).includes('evil') || s.headers.host?.endsWith(':1'),
  );
  t.same(leaked, [], 'the backend never saw a poisoned value');
  let dirty = 0;
  for (const path of paths) {
    const page = await http(`${gw.url}${path}`, { host: HOST });
    if (page.status !== 200 || /evil|:1\b|BERITA|\.go\.id\./.test(page.body)) dirty += 1;
  }
  t.equal(dirty, 0, `citizens got ${urls} clean pages`);
  t.match(backend.seen.at(-1)?.headers.host, `${HOST}:${port}`);
  // Slack: the upstream pool may keep one idle keep-alive connection per concurrent attempt (two fds in-process).
  await backToBaseline(t, 'open fds', openFds, fds, 2 * BATCH + 8);
});

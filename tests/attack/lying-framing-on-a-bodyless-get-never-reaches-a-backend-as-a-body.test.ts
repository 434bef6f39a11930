import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { backToBaseline, openFds, trackConnections } from '../helpers/attack.js';
import { rawRequest } from '../helpers/http.js';
import { proxiedHost, uncachedHost } from '../helpers/proxied-host.js';

const HOST = 'bohong.paserkab.go.id';
const H = `Host: ${HOST}\r\n`;

interface Received {
  method: string;
  url: string;
  body: string;
}

// `Content-Length: 0` and no Transfer-Encoding is what the raw proxied front takes as bodyless (proxied-front.ts):
// whatever follows on the connection is Node's parser's to read as the next request, never the front's to forward.
t.test('lying framing on a bodyless GET never reaches a backend as a body', async (t) => {
  const received: Received[] = [];
  const { backend, gw } = await proxiedHost(
    t,
    HOST,
    (req, res) => {
      let body = '';
      req.setEncoding('latin1');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.end(`dilihat ${req.url}`);
      });
    },
    { hostDoc: uncachedHost },
  );
  const upstream = trackConnections(backend.server);
  backend.server.keepAliveTimeout = 300;
  const port = gw.gateway.ports.http;
  const fds = openFds();

  // The smuggling attempt: a "body" that is a whole request.
  const smuggled = await rawRequest(
    port,
    `GET /depan HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\nGET /admin HTTP/1.1\r\n${H}Connection: close\r\n\r\n`,
  );
  t.match(
    smuggled,
    /^HTTP\/1\.1 200 [\s\S]*dilihat \/depanHTTP\/1\.1 200 [\s\S]*dilihat \/admin$/,
    'two answers',
  );
  t.same(
    received.splice(0),
    [
      { method: 'GET', url: '/depan', body: '' },
      { method: 'GET', url: '/admin', body: '' },
    ],
    'the bytes after the empty body are the next request, with its own routing; the first carries no body',
  );

  // A request that does carry a body is no business of the front's: the body goes with it, the next request after.
  const withBody = await rawRequest(
    port,
    `DELETE /isi HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhelloGET /sesudah HTTP/1.1\r\n${H}Connection: close\r\n\r\n`,
  );
  t.match(withBody, /dilihat \/isiHTTP\/1\.1 200 [\s\S]*dilihat \/sesudah$/, 'both answered');
  // Both are in flight at once: the backend may finish reading either first.
  t.same(
    received.splice(0).sort((a, b) => a.url.localeCompare(b.url)),
    [
      { method: 'DELETE', url: '/isi', body: 'hello' },
      { method: 'GET', url: '/sesudah', body: '' },
    ],
    'the request with a body brought it, the next one none',
  );

  // Bytes that are no request: Node's parser answers 400 and closes the connection (the GET's answer, still on its
  // way, goes with it); the backend never sees them.
  const junk = await rawRequest(
    port,
    `GET /lagi HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\nhello world\r\n\r\n`,
  );
  t.match(
    junk,
    /^HTTP\/1\.1 400 [\s\S]*Connection: close\r\n\r\n$/,
    'the junk is refused and the connection closed',
  );
  // The GET may or may not have reached the backend before the connection closed: the junk never does.
  await sleep(200);
  t.ok(
    received.splice(0).every((r) => r.method === 'GET' && r.url === '/lagi' && r.body === ''),
    'the junk never went upstream',
  );

  // Framing Node's parser refuses outright: nothing reaches the front or the backend.
  const refused: Record<string, string> = {
    'Transfer-Encoding with Content-Length: 0': `GET /te HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    'Content-Length: 0 twice': `GET /dua HTTP/1.1\r\n${H}Content-Length: 0\r\nContent-Length: 0\r\n\r\n`,
    'Content-Length: 0 and another length': `GET /beda HTTP/1.1\r\n${H}Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello`,
  };
  for (const [name, request] of Object.entries(refused)) {
    const answer = await rawRequest(port, request);
    t.match(answer, /^HTTP\/1\.1 400 /, `${name}: 400`);
  }
  t.same(received, [], 'the backend saw none of them');

  await backToBaseline(t, 'backend connections', upstream.open, 0, 0, 3_000);
  await backToBaseline(t, 'open file descriptors', openFds, fds, 4, 3_000);
});

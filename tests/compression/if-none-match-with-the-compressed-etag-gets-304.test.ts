import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(8192);

t.test(
  'a client revalidating its compressed copy gets 304, proxied (backend asked with its own tag) and from the cache',
  async (t) => {
    const seenInm: (string | undefined)[] = [];
    const { gw } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        const cached = req.url?.startsWith('/c/') === true;
        const cc = cached ? 'max-age=60' : 'no-store';
        if (!cached) seenInm.push(req.headers['if-none-match']);
        if (req.headers['if-none-match'] === '"v7"') {
          res.writeHead(304, { etag: '"v7"', 'cache-control': cc });
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html', etag: '"v7"', 'cache-control': cc });
        res.end(PAGE);
      },
      {
        // `/` does not cache (the backend sees the client's conditionals); `/c` does.
        hostDoc: (origin) => ({
          routes: [
            { path: '/', targets: [origin], cache: { enabled: false } },
            { path: '/c', targets: [origin] },
          ],
        }),
      },
    );
    const br = { 'accept-encoding': 'gzip, br' };
    // Proxied (no-store): the backend only knows "v7".
    const first = await rawFetch(`${gw.url}/page`, br);
    t.equal(first.headers.etag, '"v7-br"');
    const again = await rawFetch(`${gw.url}/page`, { ...br, 'if-none-match': first.headers.etag as string });
    t.equal(again.status, 304, 'proxied: 304');
    t.equal(again.headers.etag, '"v7-br"', 'with the tag the client holds');
    t.match(again.headers.vary, /Accept-Encoding/);
    t.equal(seenInm[1], '"v7"', 'the backend was asked with its own tag');
    const otherCoding = await rawFetch(`${gw.url}/page`, {
      'accept-encoding': 'gzip',
      'if-none-match': '"v7-br"',
    });
    t.equal(otherCoding.status, 200, 'a br tag does not validate the gzip representation');
    t.equal(otherCoding.headers.etag, '"v7-gz"');

    // Cached: the miss stores, the client revalidates against the hit.
    const miss = await rawFetch(`${gw.url}/c/one`, br);
    t.equal(miss.headers.etag, '"v7-br"', 'the miss carries the br tag');
    const onMiss = await rawFetch(`${gw.url}/c/two`, { ...br, 'if-none-match': '"v7-br"' });
    t.equal(onMiss.status, 304, 'a miss being stored answers 304 to the br tag');
    t.equal(onMiss.headers.etag, '"v7-br"');
    const hit = await rawFetch(`${gw.url}/c/one`, { ...br, 'if-none-match': '"v7-br"' });
    t.equal(hit.status, 304, 'a cache hit answers 304 to the br tag');
    t.equal(hit.headers.etag, '"v7-br"');
    t.match(hit.headers['cache-status'], /hit/);
    t.match(hit.headers.vary, /Accept-Encoding/);
    const identityTag = await rawFetch(`${gw.url}/c/one`, { ...br, 'if-none-match': '"v7"' });
    t.equal(identityTag.status, 200, 'the identity tag does not validate the br bytes');
    t.equal(identityTag.headers['content-encoding'], 'br');
    const identity = await rawFetch(`${gw.url}/c/one`, { 'if-none-match': '"v7"' });
    t.equal(identity.status, 304, 'a client without Accept-Encoding revalidates with the backend’s tag');
    t.equal(identity.headers.etag, '"v7"');
  },
);

import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { decode, HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(8192);

t.test(
  'compression is on by default, off for a host or a route, levels set per host; bad settings name the field',
  async (t) => {
    const { gw, backend } = await proxiedHost(
      t,
      HOST,
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/css', 'cache-control': 'no-store' });
        res.end(PAGE);
      },
      {
        hostDoc: (origin) => ({
          compression: { enabled: false },
          routes: [
            { path: '/', targets: [origin] },
            { path: '/on', targets: [origin], compression: { enabled: true, gzipLevel: 1 } },
          ],
        }),
      },
    );
    const off = await rawFetch(`${gw.url}/page.css`, { 'accept-encoding': 'gzip, br' });
    t.equal(off.headers['content-encoding'], undefined, 'host switched off: as the backend sent it');
    t.equal(off.headers.vary, undefined, 'and no Vary added');
    t.ok(off.body.equals(PAGE));
    const on = await rawFetch(`${gw.url}/on/page.css`, { 'accept-encoding': 'gzip' });
    t.equal(on.headers['content-encoding'], 'gzip', 'a route switches it back on');
    t.ok(decode(on).equals(PAGE));

    const other = 'lain.paserkab.go.id';
    const put = await gw.admin('PUT', `/v1/hosts/${other}`, {
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    t.equal(put.status, 201);
    const byDefault = await rawFetch(`${gw.url}/page.css`, { 'accept-encoding': 'gzip' }, 'GET', other);
    t.equal(byDefault.headers['content-encoding'], 'gzip', 'a host that says nothing compresses');

    const bad = await gw.admin('PUT', `/v1/hosts/${other}`, {
      routes: [{ path: '/', targets: [backend.origin], compression: { brotliLevel: 12 } }],
    });
    t.equal(bad.status, 400, 'a level out of range is refused');
    t.match(JSON.stringify(bad.body), /routes\/0\/compression\/brotliLevel/, 'naming the field');
    const unknown = await gw.admin('PUT', `/v1/hosts/${other}`, {
      routes: [{ path: '/', targets: [backend.origin] }],
      compression: { level: 3 },
    });
    t.equal(unknown.status, 400, 'an unknown setting is refused');
    t.match(JSON.stringify(unknown.body), /compression/, 'naming where');
  },
);

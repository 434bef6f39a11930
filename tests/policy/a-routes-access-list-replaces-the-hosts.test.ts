import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'portal.paserkab.go.id';

t.test(
  "a route's access list replaces the host's: an admin path kept to one network, a public path opened",
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({
        access: { deny: ['127.0.0.3'] },
        routes: [
          { path: '/', targets: [origin] },
          { path: '/wp-admin', targets: [origin], access: { allow: ['127.0.0.2/32'] } },
          { path: '/publik', targets: [origin], access: {} },
        ],
      }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;
    const get = (localAddress: string, path: string) => rawTargetGet(port, HOST, path, { localAddress });
    t.equal((await get('127.0.0.1', '/berita')).status, 200);
    t.equal((await get('127.0.0.3', '/berita')).status, 403, "the host's deny");
    t.equal((await get('127.0.0.1', '/wp-admin/post.php')).status, 403, "outside the route's allow");
    t.equal((await get('127.0.0.2', '/wp-admin/post.php')).status, 200, "inside the route's allow");
    t.equal((await get('127.0.0.3', '/publik/jadwal')).status, 200, "an empty list lifts the host's");
    t.same(
      backend.seen.map((s) => s.url),
      ['/berita', '/wp-admin/post.php', '/publik/jadwal'],
    );
  },
);

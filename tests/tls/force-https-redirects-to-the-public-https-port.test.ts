import t from 'tap';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'aman.paserkab.go.id';

t.test(
  'forceHttps redirects to 443 by default and to listen.https.publicPort when one is set, upgrades too',
  async (t) => {
    for (const [publicPort, expected] of [
      [undefined, `https://${HOST}/berita?id=1`],
      [8443, `https://${HOST}:8443/berita?id=1`],
    ] as const) {
      const { gw } = await proxiedHost(t, HOST, undefined, {
        gateway: { config: { https: { host: '127.0.0.1', port: 0, ...(publicPort ? { publicPort } : {}) } } },
        hostDoc: (origin) => ({ forceHttps: true, routes: [{ path: '/', targets: [origin] }] }),
      });
      const res = await http(`${gw.url}/berita?id=1`, { host: HOST });
      t.equal(res.status, 308);
      t.equal(res.headers.location, expected, `publicPort ${publicPort ?? 'unset'}`);
      const upgrade = await http(`${gw.url}/berita?id=1`, {
        host: HOST,
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      t.equal(upgrade.status, 308);
      t.equal(upgrade.headers.location, expected, 'an upgrade is redirected to the same place');
    }
  },
);

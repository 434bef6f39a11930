import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { bothListeners } from './header-kit.js';

const HOST = 'rsud.paserkab.go.id';

t.test(
  'a route with its own `headers` replaces the host’s whole; the other routes keep the host’s',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(
      t,
      HOST,
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', server: 'Apache/2.4.6' });
        res.end('ok');
      },
      {
        hostDoc: (origin) => ({
          routes: [
            { path: '/', targets: [origin] },
            {
              path: '/embed',
              targets: [origin],
              headers: {
                defaults: false,
                request: { set: { 'X-Embed': '1' } },
                response: { set: { 'X-Embed': 'ya' } },
              },
            },
          ],
          headers: {
            request: { set: { 'X-Host-Rule': '1' } },
            response: { set: { 'X-Host-Rule': 'ya', 'X-Frame-Options': 'DENY' } },
          },
        }),
      },
    );
    t.equal(put.status, 201, JSON.stringify(put.body));
    for (const listener of await bothListeners(gw, [HOST])) {
      const main = await listener.get('/');
      t.equal(main.headers['x-host-rule'], 'ya', `${listener.name}: the host's rule`);
      t.equal(
        main.headers['x-frame-options'],
        'DENY',
        `${listener.name}: the host's rule wins over the default`,
      );
      t.equal(main.headers.server, 'Apache', `${listener.name}: the defaults`);
      t.equal(backend.seen.at(-1)?.headers['x-host-rule'], '1', `${listener.name}: the host's request rule`);

      const embed = await listener.get('/embed/peta');
      t.equal(embed.headers['x-embed'], 'ya', `${listener.name}: the route's rule`);
      t.equal(embed.headers['x-host-rule'], undefined, `${listener.name}: not the host's`);
      t.equal(
        embed.headers['x-frame-options'],
        undefined,
        `${listener.name}: the route turned the defaults off`,
      );
      t.equal(embed.headers.server, 'Apache/2.4.6', `${listener.name}: banner as sent`);
      const seen = backend.seen.at(-1)?.headers ?? {};
      t.equal(seen['x-embed'], '1', `${listener.name}: the route's request rule`);
      t.equal(seen['x-host-rule'], undefined, `${listener.name}: not the host's`);
    }
  },
);

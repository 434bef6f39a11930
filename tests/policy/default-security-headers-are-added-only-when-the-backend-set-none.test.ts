import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { bothListeners } from './header-kit.js';

const HOST = 'disdik.paserkab.go.id';

t.test(
  'a host without a header policy gets the three security fields only where the backend set none',
  async (t) => {
    const { gw, put } = await proxiedHost(t, HOST, (req, res) => {
      const own: Record<string, string> =
        req.url === '/framed'
          ? {
              'x-frame-options': 'DENY',
              'referrer-policy': 'no-referrer',
              'x-content-type-options': 'nosniff',
            }
          : {};
      res.writeHead(200, { 'content-type': 'text/html', ...own });
      res.end('<p>portal</p>');
    });
    t.equal(put.status, 201);
    for (const listener of await bothListeners(gw, [HOST])) {
      const bare = await listener.get('/');
      t.equal(bare.status, 200);
      t.equal(bare.headers['x-content-type-options'], 'nosniff', `${listener.name}: nosniff added`);
      t.equal(
        bare.headers['referrer-policy'],
        'strict-origin-when-cross-origin',
        `${listener.name}: referrer policy`,
      );
      t.equal(
        bare.headers['x-frame-options'],
        'SAMEORIGIN',
        `${listener.name}: framing by the same site only`,
      );

      const framed = await listener.get('/framed');
      t.equal(framed.headers['x-frame-options'], 'DENY', `${listener.name}: the backend's own value is kept`);
      t.equal(framed.headers['referrer-policy'], 'no-referrer', `${listener.name}: not replaced`);
      t.equal(framed.body, '<p>portal</p>');
    }
  },
);

import t from 'tap';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

t.test(
  'a backend answering with a status HTTP does not define (799) gets a branded 502; the next request is fine',
  async (t) => {
    const { gw } = await proxiedHost(t, 'lama.paserkab.go.id', (req, res) => {
      if (req.url === '/aneh') {
        res.writeHead(799, { 'content-type': 'text/plain' });
        res.end('odd');
        return;
      }
      res.end('normal');
    });

    const odd = await http(`${gw.url}/aneh`, { host: 'lama.paserkab.go.id' });
    t.equal(odd.status, 502, 'a 502 instead of the undefined status');
    t.match(odd.headers['content-type'], /text\/html/, 'the branded error page');
    t.ok(odd.headers['x-request-id'], 'with the request id');

    const next = await http(`${gw.url}/`, { host: 'lama.paserkab.go.id' });
    t.equal(next.status, 200, 'the gateway goes on serving');
    t.equal(next.body, 'normal');
  },
);

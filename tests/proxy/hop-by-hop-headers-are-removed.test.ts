import t from 'tap';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

t.test('hop-by-hop headers, and those Connection names, cross neither way', async (t) => {
  const { backend, gw } = await proxiedHost(t, 'dinkes.paserkab.go.id', (_req, res) => {
    res.setHeader('connection', 'x-backend-private');
    res.setHeader('x-backend-private', 'secret');
    res.setHeader('keep-alive', 'timeout=99');
    res.setHeader('x-kept', 'yes');
    res.end('ok');
  });

  const res = await http(`${gw.url}/`, {
    host: 'dinkes.paserkab.go.id',
    headers: {
      connection: 'keep-alive, x-client-private',
      'x-client-private': 'token',
      'keep-alive': 'timeout=5',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      'x-normal': '1',
    },
  });
  const seen = backend.seen.at(-1)!.headers;
  t.notOk(seen['x-client-private'], 'a header named by Connection is dropped');
  t.notOk(seen['proxy-authorization'], 'proxy credentials stay at the proxy');
  t.not(seen['keep-alive'], 'timeout=5');
  t.equal(seen['x-normal'], '1', 'end-to-end headers pass');

  t.notOk(res.headers['x-backend-private'], 'the backend’s Connection-named header is dropped');
  t.not(res.headers['keep-alive'], 'timeout=99');
  t.equal(res.headers['x-kept'], 'yes');
});

import t from 'tap';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { httpsGet } from '../helpers/tls-client.js';

const HOST = 'dinkes.paserkab.go.id';

t.test(
  'request headers above limits.maxHeaderSize get 431 on HTTP and HTTPS, and never reach a backend',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      gateway: { limits: { maxHeaderSize: 4096 } },
    });
    t.equal(put.status, 201);
    const big = { 'x-padding': 'p'.repeat(6000) };
    const small = { 'x-padding': 'p'.repeat(1000) };

    t.equal((await http(`${gw.url}/`, { host: HOST, headers: small })).status, 200, 'HTTP: below the limit');
    t.equal((await http(`${gw.url}/`, { host: HOST, headers: big })).status, 431, 'HTTP: above it');
    const port = gw.gateway.ports.https;
    t.equal((await httpsGet(port, HOST, '/', undefined, small)).status, 200, 'HTTPS: below the limit');
    t.equal((await httpsGet(port, HOST, '/', undefined, big)).status, 431, 'HTTPS: above it');
    t.equal(backend.seen.length, 2, 'only the two requests below the limit reached the backend');
  },
);

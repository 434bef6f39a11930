import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { httpsGet } from '../helpers/tls-client.js';

const HOST = 'dinkes.paserkab.go.id';

t.test(
  'request headers above limits.maxHeaderSize get 431 on HTTP and HTTPS, and never reach a backend',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway({ limits: { maxHeaderSize: 4096 } });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    t.equal((await gw.admin('PUT', `/v1/hosts/${HOST}`, simpleHost(backend.origin))).status, 201);
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

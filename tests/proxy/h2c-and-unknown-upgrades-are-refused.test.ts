import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { rawExchange, rawRequest } from '../helpers/http.js';

// Issue 15 changed the h2c half: like nginx, an `Upgrade: h2c` (curl --http2 http://) is answered over HTTP/1.1 with
// the upgrade ignored and stripped. Unknown upgrades are still refused.
t.test(
  'Upgrade: h2c is answered over HTTP/1.1 without the upgrade; unknown upgrades are refused',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
    const port = gw.gateway.ports.http;

    // Not half-closed (rawRequest): the answer is proxied; `close` lets the server end the exchange.
    const h2c = await rawRequest(
      port,
      'GET / HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nConnection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n',
    );
    t.match(h2c, /^HTTP\/1\.1 200 /, 'answered over HTTP/1.1');
    t.notMatch(h2c, /101 Switching/);
    t.notMatch(h2c, /^upgrade:/im, 'no Upgrade in the answer');
    t.equal(backend.seen.length, 1, 'the request reached the backend');
    const forwarded = backend.seen[0]?.headers ?? {};
    t.equal(forwarded.upgrade, undefined, 'without Upgrade');
    t.equal(forwarded['http2-settings'], undefined, 'without HTTP2-Settings');
    t.notMatch(String(forwarded.connection ?? ''), /upgrade/i, 'without Connection: Upgrade');

    const other = await rawExchange(
      port,
      'GET / HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nConnection: Upgrade\r\nUpgrade: foo/1\r\n\r\n',
    );
    t.match(other, /^HTTP\/1\.1 400 /);
    t.equal(backend.seen.length, 1, 'the unknown upgrade never reached the backend');
  },
);

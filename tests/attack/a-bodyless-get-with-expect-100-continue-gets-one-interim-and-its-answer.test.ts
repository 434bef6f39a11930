import t from 'tap';
import { attackSize, backToBaseline, openFds, trackConnections } from '../helpers/attack.js';
import { rawRequest } from '../helpers/http.js';
import { proxiedHost, uncachedHost } from '../helpers/proxied-host.js';

const HOST = 'harap.paserkab.go.id';
const H = `Host: ${HOST}\r\n`;
const PIPELINED = attackSize(20, 500);

// A bodyless GET on a route without cache is the raw proxied front's (proxied-front.ts). Node answers the client's
// 100-continue itself before the request reaches it and Expect is never forwarded (hop-by-hop.ts): one interim
// answer, then the final one, on a connection that stays in step.
t.test(
  'a bodyless GET with Expect: 100-continue gets one 100 and its answer, and the connection stays in step',
  async (t) => {
    const expects: Array<string | undefined> = [];
    const { backend, gw } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        expects.push(req.headers.expect);
        res.end(`jawab ${req.url}`);
      },
      {
        // Pipelined requests are in flight together: the per-client cap on backend requests is another test's.
        gateway: { limits: { maxBackendRequestsPerClient: 10_000 } },
        hostDoc: uncachedHost,
      },
    );
    const upstream = trackConnections(backend.server);
    backend.server.keepAliveTimeout = 300;
    const port = gw.gateway.ports.http;
    const fds = openFds();

    const one = await rawRequest(
      port,
      `GET /satu HTTP/1.1\r\n${H}Expect: 100-continue\r\nConnection: close\r\n\r\n`,
    );
    t.equal((one.match(/HTTP\/1\.1 100 /g) ?? []).length, 1, 'one 100 Continue');
    t.match(
      one,
      /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 [\s\S]*\r\n\r\njawab \/satu$/,
      'then the answer',
    );

    // Many of them pipelined, with Content-Length: 0 too: every answer in step with its request.
    let text = '';
    for (let i = 0; i < PIPELINED; i++) {
      const length = i % 2 === 0 ? 'Content-Length: 0\r\n' : '';
      const last = i === PIPELINED - 1 ? 'Connection: close\r\n' : '';
      text += `GET /banyak/${i} HTTP/1.1\r\n${H}Expect: 100-continue\r\n${length}${last}\r\n`;
    }
    const many = await rawRequest(port, text, 20_000);
    const finals = [...many.matchAll(/HTTP\/1\.1 200 [\s\S]*?\r\n\r\njawab (\/banyak\/\d+)/g)].map(
      (m) => m[1],
    );
    t.same(
      finals,
      Array.from({ length: PIPELINED }, (_, i) => `/banyak/${i}`),
      `${finals.length} answers of ${PIPELINED}, in order`,
    );
    t.equal((many.match(/HTTP\/1\.1 100 /g) ?? []).length, PIPELINED, 'one 100 per request');
    t.ok(
      expects.every((e) => e === undefined),
      'the backend never saw Expect',
    );
    await backToBaseline(t, 'backend connections', upstream.open, 0, 0, 3_000);
    await backToBaseline(t, 'open file descriptors', openFds, fds, 4, 3_000);
  },
);

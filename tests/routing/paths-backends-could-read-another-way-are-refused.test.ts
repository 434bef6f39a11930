import t from 'tap';
import { type Backend, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { rawExchange } from '../helpers/http.js';

/**
 * Each is routed by its raw text onto /x (or /) but would reach a backend as /api/... or /x/...: WHATWG URL turns
 * `\` into `/` and resolves `.`/`%2e` segments and drops `#...`; backends decode %2f and %5c; Tomcat reads `..;` as `..`.
 */
const AMBIGUOUS = [
  '/x\\..\\api\\y',
  '/x/..\\api',
  '/x/%5c..%5capi',
  '/x/%5C..%5Capi',
  '/x%2f..%2fapi',
  '/x/a%2Fb',
  '/x/.%2e/api',
  '/x/%2E./api',
  '/./api/y',
  '/x/%2e/y',
  '/x/..;/api',
  '/x/%2e%2e;jsessionid=1/api',
  '/api#/../x',
  '/x?a=1#frag',
  '/x/%zz',
] as const;

t.test(
  'a path with backslashes, dot segments or encoded slashes gets 400 and reaches no backend',
  async (t) => {
    const backends: Backend[] = await Promise.all([startBackend(), startBackend(), startBackend()]);
    const [strip, api, root] = backends as [Backend, Backend, Backend];
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      for (const b of backends) await b.stop();
    });
    const put = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      routes: [
        { path: '/x', targets: [strip.origin], stripPrefix: true },
        { path: '/api', targets: [api.origin] },
        { path: '/', targets: [root.origin] },
      ],
    });
    t.equal(put.status, 201);
    for (const path of AMBIGUOUS) {
      const answer = await rawExchange(
        gw.gateway.ports.http,
        `GET ${path} HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nAccept: application/json\r\nConnection: close\r\n\r\n`,
      );
      t.match(answer, /^HTTP\/1\.1 400 /, `${path} is refused`);
      t.match(answer, /"code":"AMBIGUOUS_PATH"/, `${path} names its stable code`);
    }
    t.same(
      backends.map((b) => b.seen.map((s) => s.url)),
      [[], [], []],
      'no backend saw any of them',
    );
  },
);

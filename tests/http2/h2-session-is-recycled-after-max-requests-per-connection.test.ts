import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { h2Request, h2Session } from '../helpers/h2-client.js';

t.test(
  'an HTTP/2 session gets GOAWAY after limits.maxRequestsPerConnection streams, as keep-alive connections are recycled',
  async (t) => {
    const backend = await startBackend((_req, res) => res.end('portal'));
    const gw = await startTestGateway({ limits: { maxRequestsPerConnection: 3 } });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const host = 'dinkes.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
    const session = await h2Session(gw.gateway.ports.https, host);
    t.teardown(() => session.destroy());
    let goaway = -1;
    session.once('goaway', (code: number) => {
      goaway = code;
    });
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    for (let i = 0; i < 3; i++)
      t.equal((await h2Request(session, host, `/${i}`)).body, 'portal', `stream ${i + 1} is served`);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    t.equal(goaway, 0, 'GOAWAY NO_ERROR after the third stream');
    t.ok(session.closed || session.destroyed, 'and the session ends');
    const next = await h2Session(gw.gateway.ports.https, host);
    t.teardown(() => next.destroy());
    t.equal((await h2Request(next, host, '/')).body, 'portal', 'a new session is served');
  },
);

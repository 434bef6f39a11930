import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { closeSession, h2Request, h2Session } from '../helpers/h2-client.js';

t.test(
  'an own page that closes an HTTP/1.1 connection (Connection: close) goes out over h2 without the field',
  async (t) => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    t.teardown(() => void process.off('warning', onWarning));
    const backend = await startBackend((_req, res) => setTimeout(() => res.end('portal'), 500));
    const gw = await startTestGateway({ limits: { maxBackendRequestsPerClient: 1 } });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const host = 'dinkes.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
    const session = await h2Session(gw.gateway.ports.https, host);
    t.teardown(() => closeSession(session));

    const first = h2Request(session, host, '/a');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The second request from the same address meets the per-client cap: BACKEND_CLIENT_LIMIT ends an h1 connection.
    const limited = await h2Request(session, host, '/b');
    t.equal(limited.status, 429);
    t.match(limited.body, /Terlalu banyak permintaan/);
    t.equal(limited.headers.connection, undefined, 'no Connection field on the HTTP/2 response');
    t.equal((await first).body, 'portal', 'the session carries on');
    t.equal((await h2Request(session, host, '/c')).body, 'portal');
    await new Promise((resolve) => setImmediate(resolve));
    t.same(
      warnings.filter((w) => /connection/i.test(w)),
      [],
      'Node had no connection-specific field to warn about or drop',
    );
  },
);

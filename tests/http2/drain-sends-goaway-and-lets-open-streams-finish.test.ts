import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { closeSession, h2Request, h2Session } from '../helpers/h2-client.js';
import { createTestCa } from '../helpers/test-ca.js';

t.test('graceful drain sends GOAWAY on HTTP/2 sessions and lets their open streams finish', async (t) => {
  const backend = await startBackend((req, res) => {
    if (req.url === '/slow') setTimeout(() => res.end('slow done'), 600);
    else res.end('fast');
  });
  const gw = await startTestGateway({ limits: { drainTimeoutMs: 5_000 } });
  let stopped: Promise<void> | undefined;
  t.teardown(async () => {
    await (stopped ?? gw.stop());
    await backend.stop();
  });
  const ca = await createTestCa();
  const host = 'dinkes.paserkab.go.id';
  await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
  await gw.admin('PUT', `/v1/certificates/${host}`, await ca.issue([host]));
  const session = await h2Session(gw.gateway.ports.https, host, ca.certificate);
  t.teardown(() => closeSession(session));
  t.equal((await h2Request(session, host, '/')).body, 'fast');

  const goaway = new Promise<number>((resolve) => session.once('goaway', (code: number) => resolve(code)));
  const slow = h2Request(session, host, '/slow');
  // The slow request is at the backend before the drain begins.
  await new Promise((resolve) => setTimeout(resolve, 200));
  stopped = gw.stop();
  const code = await Promise.race([goaway, new Promise<string>((r) => setTimeout(() => r('none'), 3_000))]);
  t.equal(code, 0, 'GOAWAY with NO_ERROR');
  t.equal((await slow).body, 'slow done', 'the stream open at the GOAWAY finishes');
  await stopped;
  t.ok(session.closed || session.destroyed, 'the session is closed after the drain');
});

import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { createTestCa, type PemPair } from '../helpers/test-ca.js';

interface Answer {
  probe: {
    reachable: boolean;
    certificate?: { valid: boolean; error?: string; issuer?: string; validTo?: string; daysLeft?: number };
  };
  proposal: { notes: string[] };
}

const DAY = 86_400_000;

async function serve(pair: PemPair): Promise<Server> {
  const server = createServer({ cert: pair.certificate, key: pair.key }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>Portal</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

t.test('an expired certificate and one for another name are reported not valid, with why', async (t) => {
  const ca = await createTestCa('Paser Test CA');
  const before = tls.getCACertificates('default');
  // Trusted CA: what is wrong is the date or the name, not the issuer.
  tls.setDefaultCACertificates([...before, ca.certificate]);
  const expiredAt = new Date(Date.now() - 3 * DAY);
  expiredAt.setUTCMilliseconds(0);
  const expired = await serve(
    await ca.issue(['portal.example'], {
      ips: ['127.0.0.1'],
      notBefore: new Date(Date.now() - 60 * DAY),
      notAfter: expiredAt,
    }),
  );
  const wrongName = await serve(await ca.issue(['other.example']));
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await new Promise((resolve) => expired.close(resolve));
    await new Promise((resolve) => wrongName.close(resolve));
    tls.setDefaultCACertificates(before);
  });
  const probe = async (server: Server): Promise<Answer> => {
    const port = (server.address() as AddressInfo).port;
    const res = await gw.admin('POST', '/v1/onboard', { url: `https://127.0.0.1:${port}/`, timeoutMs: 5000 });
    t.equal(res.status, 200);
    return res.body as Answer;
  };

  const old = await probe(expired);
  t.equal(old.probe.reachable, true, 'still probed: the facts are the point');
  t.equal(old.probe.certificate?.valid, false);
  t.equal(old.probe.certificate?.error, 'CERT_HAS_EXPIRED');
  t.equal(old.probe.certificate?.issuer, 'Paser Test CA');
  t.equal(old.probe.certificate?.validTo, expiredAt.toISOString());
  t.ok((old.probe.certificate?.daysLeft ?? 0) < 0, 'negative days left');
  t.ok(old.proposal.notes.includes('certificate expired'), 'the proposal notes it');

  const other = await probe(wrongName);
  t.equal(other.probe.certificate?.valid, false, 'a certificate for another name is not valid here');
  t.equal(other.probe.certificate?.error, 'ERR_TLS_CERT_ALTNAME_INVALID');
  t.ok(
    other.proposal.notes.some((n) => n.startsWith('certificate not trusted')),
    'the proposal notes it',
  );
});

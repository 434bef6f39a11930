import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';

interface Certificate {
  valid: boolean;
  error?: string;
  subject?: string;
  issuer?: string;
  validFrom?: string;
  validTo?: string;
  daysLeft?: number;
}

t.test(
  'a portal with a certificate from a trusted CA is reported valid, with issuer and expiry',
  async (t) => {
    const ca = await createTestCa('Paser Test CA');
    const notAfter = new Date(Date.now() + 40 * 86_400_000);
    notAfter.setUTCMilliseconds(0);
    const leaf = await ca.issue(['portal.example'], { ips: ['127.0.0.1'], notAfter });
    // The probe trusts the system's CAs: the test CA joins them for this process only.
    const before = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...before, ca.certificate]);
    const server = createServer({ cert: leaf.certificate, key: leaf.key }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=60' });
      res.end('<title>Portal Lama</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await new Promise((resolve) => server.close(resolve));
      tls.setDefaultCACertificates(before);
    });
    const port = (server.address() as AddressInfo).port;

    const res = await gw.admin('POST', '/v1/onboard', { url: `https://127.0.0.1:${port}/`, timeoutMs: 5000 });
    t.equal(res.status, 200);
    const { probe, proposal } = res.body as {
      probe: { reachable: boolean; status: number; certificate?: Certificate };
      proposal: { notes: string[] };
    };
    t.equal(probe.reachable, true);
    t.equal(probe.status, 200);
    const cert = probe.certificate;
    t.ok(cert, 'certificate facts are reported');
    t.equal(cert?.valid, true, 'trusted for the address asked for');
    t.notOk(cert?.error);
    t.equal(cert?.issuer, 'Paser Test CA');
    t.equal(cert?.subject, 'portal.example');
    t.equal(cert?.validTo, notAfter.toISOString(), 'expiry as in the certificate');
    t.ok(cert?.daysLeft === 39 || cert?.daysLeft === 40, `about 40 days left (${cert?.daysLeft})`);
    t.notOk(
      proposal.notes.some((n) => /certificate/.test(n)),
      'no certificate note for a good certificate',
    );
  },
);

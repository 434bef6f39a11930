import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FALLBACK_CERT_FILE, FALLBACK_KEY_FILE } from '../../src/data/tls/fallback-cert.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { createTestCa, type LeafKeyType } from '../helpers/test-ca.js';
import { handshake, httpsGet } from '../helpers/tls-client.js';

const KINDS: Array<{ keyType: LeafKeyType; host: string }> = [
  { keyType: 'rsa-2048', host: 'dinkes.paserkab.go.id' },
  { keyType: 'rsa-4096', host: 'disdik.paserkab.go.id' },
  { keyType: 'ec-p256', host: 'bappeda.paserkab.go.id' },
];

t.test(
  'uploaded RSA 2048, RSA 4096 and EC P-256 certificates are served, also after a restart',
  async (t) => {
    const backend = await startBackend(echoHandler('portal'));
    t.teardown(() => backend.stop());
    const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-rsa-'));
    t.teardown(() => rm(stateDir, { recursive: true, force: true }));
    const ca = await createTestCa();
    // A state dir from an older Gerbang keeps an ECDSA fallback pair.
    const oldFallback = await ca.issue(['gerbang.invalid']);
    await writeFile(join(stateDir, FALLBACK_CERT_FILE), oldFallback.certificate, { mode: 0o600 });
    await writeFile(join(stateDir, FALLBACK_KEY_FILE), oldFallback.key, { mode: 0o600 });

    const running: TestGateway[] = [];
    t.teardown(async () => {
      for (const gw of running) await gw.stop().catch(() => undefined);
    });
    const gw = await startTestGateway({ stateDir });
    running.push(gw);
    const serials = new Map<string, string>();
    for (const { keyType, host } of KINDS) {
      t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin))).status, 201);
      const put = await gw.admin('PUT', `/v1/certificates/${host}`, await ca.issue([host], { keyType }));
      t.equal(put.status, 201, `${keyType}: upload accepted`);
      serials.set(host, String((put.body as { serial: string }).serial).toUpperCase());
    }

    const check = async (when: string, port: number): Promise<void> => {
      for (const { keyType, host } of KINDS) {
        for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
          const hs = await handshake(port, { servername: host, ca: ca.certificate, maxVersion });
          const what = `${when}, ${keyType}, ${hs.protocol}`;
          t.equal(hs.authorized, true, `${what}: trusted (${hs.authorizationError ?? 'ok'})`);
          t.equal(
            hs.peer.subjectaltname,
            `DNS:${host}`,
            `${what}: the uploaded certificate, not the fallback`,
          );
          t.equal(hs.peer.serialNumber?.toUpperCase(), serials.get(host), `${what}: its serial`);
        }
        const res = await httpsGet(port, host, '/hello', ca.certificate).catch((err: Error) => ({
          status: 0,
          body: err.message,
        }));
        t.equal(
          res.status,
          200,
          `${when}, ${keyType}: a request through it reaches the portal (${res.status})`,
        );
      }
      const none = await handshake(port, {});
      t.match(none.peer.subject, { CN: 'gerbang.invalid' }, `${when}: no SNI still gets the fallback`);
    };
    await check('live', gw.gateway.ports.https);

    await gw.stop();
    running.length = 0;
    const again = await startTestGateway({ stateDir });
    running.push(again);
    await check('after a restart', again.gateway.ports.https);
  },
);

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FALLBACK_CERT_FILE, FALLBACK_KEY_FILE } from '../../src/data/tls/fallback-cert.js';
import { startTestGateway } from '../helpers/gateway.js';
import { handshake, httpsGet } from '../helpers/tls-client.js';

t.test('unknown or missing SNI gets the self-signed fallback, made once and kept private', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-tls-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  let gw = await startTestGateway({ stateDir });
  t.teardown(() => gw.stop());

  const unknown = await handshake(gw.gateway.ports.https, { servername: 'nobody.example.org' });
  t.match(unknown.peer.subject, { CN: 'gerbang.invalid' }, 'unknown SNI gets the fallback');
  t.equal(unknown.authorized, false, 'the fallback is not trusted by anyone');
  const none = await handshake(gw.gateway.ports.https, {});
  t.equal(none.peer.fingerprint256, unknown.peer.fingerprint256, 'no SNI at all gets the same fallback');

  const res = await httpsGet(gw.gateway.ports.https, 'nobody.paserkab.go.id');
  t.equal(res.status, 404, 'an unregistered host over HTTPS is answered, not hung up on');

  for (const file of [FALLBACK_CERT_FILE, FALLBACK_KEY_FILE]) {
    t.equal((await stat(join(stateDir, file))).mode & 0o777, 0o600, `${file} is readable by the owner only`);
  }

  await gw.stop();
  gw = await startTestGateway({ stateDir });
  const again = await handshake(gw.gateway.ports.https, { servername: 'nobody.example.org' });
  t.equal(again.peer.fingerprint256, unknown.peer.fingerprint256, 'the same fallback after a restart');
});

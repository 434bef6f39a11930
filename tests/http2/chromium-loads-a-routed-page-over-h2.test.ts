import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { chromiumLaunchOptions } from '../helpers/chromium.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';

/** What Chromium's --ignore-certificate-spki-list takes: the leaf's SubjectPublicKeyInfo, SHA-256, base64. */
function spkiHash(pem: string): string {
  const der = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

t.test('Chromium loads a routed page over HTTPS with nextHopProtocol h2', async (t) => {
  const backend = await startBackend((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'keep-alive' });
    res.end('<!doctype html><title>Dinkes</title><h1>Portal Dinas Kesehatan</h1>');
  });
  const gw = await startTestGateway();
  const profile = await mkdtemp(join(tmpdir(), 'gerbang-chromium-'));
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
    await rm(profile, { recursive: true, force: true });
  });
  const ca = await createTestCa();
  const host = 'dinkes.paserkab.go.id';
  const leaf = await ca.issue([host]);
  await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
  await gw.admin('PUT', `/v1/certificates/${host}`, leaf);
  const port = gw.gateway.ports.https;

  // Only this leaf is trusted beyond the system roots, and the name resolves to loopback: no other traffic.
  const context = await chromium.launchPersistentContext(
    profile,
    chromiumLaunchOptions([
      `--host-resolver-rules=MAP ${host} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${spkiHash(leaf.certificate)}`,
    ]),
  );
  t.teardown(() => context.close());
  const page = await context.newPage();
  const response = await page.goto(`https://${host}:${port}/`, { timeout: 15_000 });
  t.equal(response?.status(), 200);
  t.equal(await page.textContent('h1'), 'Portal Dinas Kesehatan');
  const protocol = await page.evaluate(
    // Runs in the page: the DOM's PerformanceNavigationTiming, not Node's.
    () =>
      (performance.getEntriesByType('navigation' as never)[0] as unknown as { nextHopProtocol: string })
        .nextHopProtocol,
  );
  t.equal(protocol, 'h2', 'the navigation went over HTTP/2');
});

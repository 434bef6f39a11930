import t from 'tap';
import { gerbangCli } from '../helpers/cli.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { HEALTH_CHECK, killableBackend, waitForUptime } from './uptime-kit.js';

t.test('gerbang uptime prints services, agencies and incidents; --json the API answer', async (t) => {
  const backend = await killableBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  const host = 'jdih.paserkab.go.id';
  await backend.stop();
  const put = await gw.admin('PUT', `/v1/hosts/${host}`, {
    routes: [{ path: '/', targets: [backend.origin], healthCheck: HEALTH_CHECK }],
  });
  t.equal(put.status, 201);
  await waitForUptime(gw, host, 'an open incident', (s) => s.incidents.length === 1);
  const env = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };
  const month = new Date().toISOString().slice(0, 7);

  const text = await gerbangCli(['uptime', '--month', month], env);
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, new RegExp(`Uptime ${month}`));
  t.match(text.stdout, /Per agency/);
  t.match(text.stdout, new RegExp(`${host}.*\\(still down\\).*refused`));

  const json = await gerbangCli(['uptime', '--host', host, '--json'], env);
  t.equal(json.code, 0, json.stderr);
  const body = JSON.parse(json.stdout) as { services: Array<{ host: string; incidents: unknown[] }> };
  t.equal(body.services[0]?.host, host);
  t.equal(body.services[0]?.incidents.length, 1);

  const bad = await gerbangCli(['uptime', '--month', '2026-13'], env);
  t.equal(bad.code, 1, 'the API refuses a month that is none');
  t.match(bad.stderr, /month/);
});

import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('one JSON access-log line per request, with what operators need and no secrets', async (t) => {
  const backend = await startBackend();
  const lines: Array<Record<string, unknown>> = [];
  const gw = await startTestGateway({ logLines: lines });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
  await http(`${gw.url}/rekam-medis?x=1`, {
    host: 'dinkes.paserkab.go.id',
    headers: {
      authorization: 'Bearer citizen-secret-token',
      cookie: 'session=citizen-cookie',
      'x-request-id': 'log-test-request-1',
    },
  });
  await new Promise((r) => setTimeout(r, 100));
  const access = lines.find((l) => l.log === 'access' && l.reqId === 'log-test-request-1');
  t.ok(access, 'an access line for the request');
  t.match(access, {
    host: 'dinkes.paserkab.go.id',
    route: '/',
    target: backend.origin,
    status: 200,
    method: 'GET',
  });
  t.type(access?.bytesOut, 'number');
  t.ok((access?.bytesOut as number) > 0);
  t.type(access?.ms, 'number');
  t.type(access?.upstreamMs, 'number');
  const all = JSON.stringify(lines);
  t.notMatch(all, /citizen-secret-token/, 'no Authorization in any log line');
  t.notMatch(all, /citizen-cookie/, 'no cookie in any log line');
  t.notMatch(all, /test-admin-token/, 'no admin token in any log line');
});

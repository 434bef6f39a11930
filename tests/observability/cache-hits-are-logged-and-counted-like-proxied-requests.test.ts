import t from 'tap';
import { http } from '../helpers/http.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'dinkes.paserkab.go.id';

t.test('a cache hit gets its access line and request metrics like a proxied request', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const { backend, gw, put } = await proxiedHost(
    t,
    HOST,
    (_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=600', 'content-type': 'text/plain' });
      res.end('jadwal posyandu');
    },
    {
      gateway: { logLines: lines },
      hostDoc: (origin) => ({ routes: [{ path: '/jadwal', targets: [origin] }] }),
    },
  );
  t.equal(put.status, 201);
  await http(`${gw.url}/jadwal`, { host: HOST, headers: { 'x-request-id': 'hit-log-test-miss' } });
  const before = await scrape(gw.adminUrl);

  const hit = await http(`${gw.url}/jadwal`, {
    host: HOST,
    headers: { 'x-request-id': 'hit-log-test-hit1' },
  });
  t.match(hit.headers['cache-status'], /^gerbang; hit/);
  t.equal(hit.headers['x-request-id'], 'hit-log-test-hit1', 'the client id is kept and echoed');
  const generated = await http(`${gw.url}/jadwal`, { host: HOST });
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'an id is made when the client sent none');
  await new Promise((r) => setTimeout(r, 100));

  const access = lines.find((l) => l.log === 'access' && l.reqId === 'hit-log-test-hit1');
  t.ok(access, 'an access line for the hit');
  t.match(access, { method: 'GET', host: HOST, url: '/jadwal', route: '/jadwal', status: 200 });
  t.equal(access?.target, undefined, 'no target: no backend was asked');
  t.equal(access?.upstreamMs, undefined);
  t.type(access?.ms, 'number');
  t.ok((access?.bytesOut as number) > 'jadwal posyandu'.length, 'head and body counted as sent');
  t.ok((access?.bytesIn as number) > 0);
  t.ok(
    lines.some((l) => l.log === 'access' && l.reqId === generated.headers['x-request-id']),
    'the generated id is the one logged',
  );

  const after = await scrape(gw.adminUrl);
  const delta = (name: string, labels: Record<string, string>) =>
    sum(after, name, labels) - sum(before, name, labels);
  t.equal(delta('gerbang_requests_total', { host: HOST, code: '2xx', method: 'GET' }), 2);
  t.equal(delta('gerbang_cache_requests_total', { host: HOST, result: 'hit' }), 2);
  t.equal(delta('gerbang_request_duration_seconds_count', { host: HOST }), 2);
  t.ok(delta('gerbang_response_bytes_total', {}) > 0, 'bytes sent counted');
  t.equal(sum(after, 'gerbang_requests_in_flight'), 0, 'nothing left in flight');
  t.equal(backend.seen.length, 1, 'the backend was asked once');
});

import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { scrape, sum } from '../helpers/metrics-text.js';

t.test(
  'requests are counted by registered host and agency; unknown hosts share one label; bytes by agency',
  async (t) => {
    const body = 'x'.repeat(5000);
    const backend = await startBackend((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
      res.end(body);
    });
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const put = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      agency: 'dinkes',
      ...simpleHost(backend.origin),
    });
    t.equal(put.status, 201);

    for (let i = 0; i < 3; i++) {
      const res = await http(`${gw.url}/page?i=${i}`, { host: 'dinkes.paserkab.go.id' });
      t.equal(res.status, 200);
    }
    const upload = 'u'.repeat(7000);
    t.equal(
      (await http(`${gw.url}/form`, { method: 'POST', host: 'dinkes.paserkab.go.id', body: upload })).status,
      200,
    );
    // A scanner trying many names must not create a series per name.
    for (let i = 0; i < 5; i++) {
      t.equal((await http(`${gw.url}/`, { host: `scan${i}.example.com` })).status, 404);
    }

    const samples = await scrape(gw.adminUrl);
    const reqs = samples.filter((s) => s.name === 'gerbang_requests_total');
    t.equal(
      sum(samples, 'gerbang_requests_total', {
        host: 'dinkes.paserkab.go.id',
        agency: 'dinkes',
        method: 'GET',
        code: '2xx',
      }),
      3,
    );
    t.equal(
      sum(samples, 'gerbang_requests_total', { host: 'dinkes.paserkab.go.id', method: 'POST', code: '2xx' }),
      1,
    );
    t.equal(sum(samples, 'gerbang_requests_total', { host: 'unknown', agency: 'none', code: '4xx' }), 5);
    t.same(
      [...new Set(reqs.map((s) => s.labels.host))].sort(),
      ['dinkes.paserkab.go.id', 'unknown'],
      'no series names a host that is not registered',
    );
    t.equal(sum(samples, 'gerbang_request_duration_seconds_count', { host: 'dinkes.paserkab.go.id' }), 4);
    t.equal(sum(samples, 'gerbang_upstream_duration_seconds_count', { host: 'dinkes.paserkab.go.id' }), 4);

    const sent = sum(samples, 'gerbang_response_bytes_total', { agency: 'dinkes' });
    t.ok(sent >= 4 * body.length, `response bytes of dinkes (${sent}) cover the four bodies`);
    t.ok(sent < 4 * body.length + 4 * 1024, `and no more than their heads beside (${sent})`);
    const received = sum(samples, 'gerbang_request_bytes_total', { agency: 'dinkes' });
    t.ok(received >= upload.length, `request bytes of dinkes (${received}) cover the upload`);
    t.ok(received < upload.length + 4 * 1024, `and only the heads beside (${received})`);
    t.ok(
      sum(samples, 'gerbang_response_bytes_total', { agency: 'none' }) > 0,
      'unknown hosts count under agency none',
    );
    t.equal(sum(samples, 'gerbang_build_info'), 1);
  },
);

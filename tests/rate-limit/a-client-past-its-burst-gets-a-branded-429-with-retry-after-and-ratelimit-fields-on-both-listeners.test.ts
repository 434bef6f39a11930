import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { rawTargetGet } from '../policy/kit.js';

const HOST = 'ppid.paserkab.go.id';

t.test(
  'past its burst an address gets the branded 429 with Retry-After and the RateLimit fields',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      // One a minute after a burst of three: nothing refills while the test runs.
      hostDoc: (origin) => ({ ...simpleHost(origin), rateLimit: { rate: '1/m', burst: 3 } }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const ca = await createTestCa();
    t.equal((await gw.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST]))).status, 201);
    const http = gw.gateway.ports.http;
    const https = gw.gateway.ports.https;

    for (let i = 0; i < 2; i++)
      t.equal((await rawTargetGet(http, HOST, '/')).status, 200, `request ${i + 1}`);
    // The same address over HTTPS: one count for both listeners.
    t.equal((await rawTargetGet(https, HOST, '/', { ca: ca.certificate })).status, 200, 'request 3, HTTPS');

    for (const [name, port, options] of [
      ['http', http, {}],
      ['https', https, { ca: ca.certificate }],
    ] as const) {
      const refused = await rawTargetGet(port, HOST, '/berita', options);
      t.equal(refused.status, 429, name);
      const retryAfter = Number(refused.headers['retry-after']);
      t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After in seconds (${retryAfter})`);
      t.equal(refused.headers['ratelimit-policy'], '"default";q=3;w=180', 'quota 3 per 180 s: 1/m, burst 3');
      t.equal(refused.headers.ratelimit, `"default";r=0;t=${retryAfter}`);
      t.equal(refused.headers['cache-control'], 'no-store');
      t.ok(refused.headers['x-request-id'], 'the request id');
      t.match(refused.body, /Terlalu banyak permintaan/, 'the branded page, Indonesian first');
      const en = await rawTargetGet(port, HOST, '/', { ...options, headers: { 'accept-language': 'en' } });
      t.match(en.body, /Too many requests/);
      const json = await rawTargetGet(port, HOST, '/', {
        ...options,
        headers: { accept: 'application/json' },
      });
      t.equal(JSON.parse(json.body).error.code, 'RATE_LIMITED');
    }
    t.equal(backend.seen.length, 3, 'the backend saw the burst only');
    t.equal(sum(await scrape(gw.adminUrl), 'gerbang_rate_limited_total', { host: HOST }), 6);
  },
);

import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { PROBES } from './fixtures/probe-corpus.js';
import { rawTargetGet } from './kit.js';

const HOST = 'lama.paserkab.go.id';

t.test(
  'in block mode every probe of the corpus gets a plain 404 on both listeners and the backend sees none',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({ ...simpleHost(origin), probeFilter: { mode: 'block' } }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const ca = await createTestCa();
    t.equal((await gw.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST]))).status, 201);
    const listeners = [
      { name: 'http', port: gw.gateway.ports.http, ca: undefined },
      { name: 'https', port: gw.gateway.ports.https, ca: ca.certificate },
    ];
    const expected = new Map<string, number>();
    for (const { name, port, ca: trust } of listeners) {
      for (const probe of PROBES) {
        const res = await rawTargetGet(port, HOST, probe.target, trust === undefined ? {} : { ca: trust });
        // H4's request-target.ts refuses some spellings before any policy: the filter sees what is left.
        const status = probe.rule === 'refused' ? 400 : 404;
        t.equal(res.status, status, `${name} ${probe.target}`);
        if (probe.rule === 'refused') continue;
        t.match(res.body, /Halaman tidak ditemukan/, 'the same page as any missing path');
        expected.set(probe.rule, (expected.get(probe.rule) ?? 0) + 1);
      }
    }
    t.same(backend.seen, [], 'the backend saw no probe');
    const samples = await scrape(gw.adminUrl);
    for (const [rule, count] of expected)
      t.equal(
        sum(samples, 'gerbang_probe_filter_matches_total', { host: HOST, rule, action: 'block' }),
        count,
        `counted under ${rule}`,
      );
  },
);

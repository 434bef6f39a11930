import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { LEGITIMATE } from './fixtures/probe-corpus.js';
import { rawTargetGet } from './kit.js';

const HOST = 'dinkes.paserkab.go.id';

t.test(
  'in block mode every request of the legitimate corpus reaches the backend on both listeners',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({ ...simpleHost(origin), probeFilter: { mode: 'block', status: 403 } }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const ca = await createTestCa();
    t.equal((await gw.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST]))).status, 201);
    let sent = 0;
    for (const target of LEGITIMATE) {
      for (const trust of [undefined, ca.certificate]) {
        // The plain listener answers ACME challenges itself, before any host's routes.
        if (trust === undefined && target.startsWith('/.well-known/acme-challenge/')) continue;
        const port = trust === undefined ? gw.gateway.ports.http : gw.gateway.ports.https;
        const res = await rawTargetGet(port, HOST, target, trust === undefined ? {} : { ca: trust });
        t.equal(res.status, 200, `${trust === undefined ? 'http' : 'https'} ${target}`);
        t.equal(backend.seen.at(-1)?.url, target, 'the backend got it as the client sent it');
        sent++;
      }
    }
    t.equal(backend.seen.length, sent, 'every one reached the backend');
    const samples = await scrape(gw.adminUrl);
    t.equal(sum(samples, 'gerbang_probe_filter_matches_total'), 0, 'no false positive counted');
  },
);

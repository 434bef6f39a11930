import t from 'tap';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'disdik.paserkab.go.id';

t.test(
  'the default mode is detect: a probe reaches the backend and is logged and counted under its rule',
  async (t) => {
    const logLines: Array<Record<string, unknown>> = [];
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, { gateway: { logLines } });
    t.equal(put.status, 201);
    const port = gw.gateway.ports.http;
    t.equal((await rawTargetGet(port, HOST, '/.env')).status, 200);
    t.equal((await rawTargetGet(port, HOST, '/berita?id=1+union+select+null,null--')).status, 200);
    t.equal((await rawTargetGet(port, HOST, '/berita?id=12')).status, 200);
    t.equal(backend.seen.length, 3, 'detect never answers for the backend');

    const samples = await scrape(gw.adminUrl);
    const count = (rule: string) =>
      sum(samples, 'gerbang_probe_filter_matches_total', { host: HOST, rule, action: 'detect' });
    t.equal(count('dotfile'), 1);
    t.equal(count('sql-injection'), 1);
    t.equal(sum(samples, 'gerbang_probe_filter_matches_total'), 2, 'the clean request is not counted');
    const logged = logLines.filter((l) => l.msg === 'probe matched');
    t.same(
      logged.map((l) => [l.host, l.rule, l.action, l.url]),
      [
        [HOST, 'dotfile', 'detect', '/.env'],
        [HOST, 'sql-injection', 'detect', '/berita?id=1+union+select+null,null--'],
      ],
    );
  },
);

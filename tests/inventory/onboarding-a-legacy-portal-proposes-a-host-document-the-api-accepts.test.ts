import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

interface Answer {
  probe: {
    reachable: boolean;
    status: number;
    finalUrl: string;
    redirects: Array<{ url: string; status: number; location: string }>;
    server: string;
    poweredBy: string;
    versionLeaks: string[];
    title: string;
    cache: Record<string, string>;
    responseMs: number;
    certificate?: unknown;
  };
  proposal: { host: string; document: Record<string, unknown>; notes: string[] };
}

t.test(
  'onboarding an old Apache/PHP portal reports what it finds and proposes a host PUT /v1/hosts accepts',
  async (t) => {
    const legacy = await startBackend((req, res) => {
      const banner = { server: 'Apache/2.2.15 (CentOS)', 'x-powered-by': 'PHP/5.3.3' };
      if (req.url === '/') {
        res.writeHead(301, { ...banner, location: '/index.php' });
        return res.end();
      }
      if (req.url === '/index.php') {
        res.writeHead(302, { ...banner, location: '/portal/beranda.php' });
        return res.end();
      }
      const page = `<!doctype html><html><head><title>
      SIMPEG &amp; Kepegawaian Kabupaten Paser</title></head><body>${'x'.repeat(300_000)}</body></html>`;
      res.writeHead(200, {
        ...banner,
        'content-type': 'text/html; charset=UTF-8',
        'cache-control': 'no-store, no-cache, must-revalidate',
        expires: 'Thu, 19 Nov 1981 08:52:00 GMT',
      });
      res.end(page);
    });
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await legacy.stop();
    });
    await gw.admin('PUT', '/v1/agencies/bkpsdm', {
      name: 'BKPSDM',
      contact: 'bkpsdm@x',
      owns: ['simpeg.paserkab.go.id'],
    });

    const res = await gw.admin('POST', '/v1/onboard', {
      url: `${legacy.origin}/`,
      agency: 'bkpsdm',
      timeoutMs: 5000,
    });
    t.equal(res.status, 200);
    const { probe, proposal } = res.body as Answer;
    t.equal(probe.reachable, true);
    t.equal(probe.status, 200);
    t.equal(probe.finalUrl, `${legacy.origin}/portal/beranda.php`);
    t.same(
      probe.redirects.map((r) => [r.status, r.location]),
      [
        [301, `${legacy.origin}/index.php`],
        [302, `${legacy.origin}/portal/beranda.php`],
      ],
    );
    t.equal(probe.server, 'Apache/2.2.15 (CentOS)');
    t.equal(probe.poweredBy, 'PHP/5.3.3');
    t.same(probe.versionLeaks, ['server: Apache/2.2.15 (CentOS)', 'x-powered-by: PHP/5.3.3']);
    t.equal(
      probe.title,
      'SIMPEG & Kepegawaian Kabupaten Paser',
      'title read from a page larger than the read limit',
    );
    t.equal(probe.cache['cache-control'], 'no-store, no-cache, must-revalidate');
    t.type(probe.responseMs, 'number');
    t.notOk('certificate' in probe, 'plain http has no certificate');
    t.equal(proposal.host, 'simpeg-kepegawaian-kabupaten-paser.paserkab.go.id');
    t.ok(proposal.notes.some((n) => /Apache\/2\.2\.15/.test(n)));

    // The proposal, under the name the agency owns, is accepted as it is and routes to the old portal.
    const put = await gw.admin('PUT', '/v1/hosts/simpeg.paserkab.go.id', proposal.document);
    t.equal(put.status, 201, JSON.stringify(put.body));
    const through = await http(`${gw.url}/portal/beranda.php`, { host: 'simpeg.paserkab.go.id' });
    t.ok(through.status === 200 || through.status === 308, `served or sent to https (${through.status})`);

    const named = await gw.admin('POST', '/v1/onboard', {
      url: `${legacy.origin}/`,
      host: 'simpeg.paserkab.go.id',
    });
    t.equal((named.body as Answer).proposal.host, 'simpeg.paserkab.go.id');
  },
);

import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { bytesOfGet, DINKES, DISDIK, twoAgencies, usageBackend } from './kit.js';
import { trafficReport } from './traffic-kit.js';

t.test(
  "the traffic API refuses an agency token asking for another agency's host, 403 HOST_NOT_OWNED",
  async (t) => {
    const backend = await usageBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await twoAgencies(gw, backend.origin);
    await bytesOfGet(gw, DINKES, '/a');
    await bytesOfGet(gw, DISDIK, '/b');
    await gw.gateway.usage.flush();
    const token = (await gw.admin('POST', '/v1/tokens', { scope: 'agency:disdik', note: 'traffic' }))
      .body as {
      secret: string;
    };

    const other = await gw.admin('GET', `/v1/reports/traffic?host=${DINKES}`, undefined, token.secret);
    t.equal(other.status, 403, "another agency's host is refused");
    t.equal((other.body as { error: { code: string } }).error.code, 'HOST_NOT_OWNED');
    t.notMatch(JSON.stringify(other.body), /"requests"/, 'and none of its figures are shown');

    const own = await trafficReport(gw, `?host=${DISDIK}&hours=3`, token.secret);
    t.same(
      own.hosts.map((h) => [h.host, h.requests, h.hours.length]),
      [[DISDIK, 1, 3]],
      'its own host, one row per hour asked',
    );
    const all = await trafficReport(gw, '', token.secret);
    t.same(
      all.hosts.map((h) => h.host),
      [DISDIK],
      'without ?host= an agency token sees its own hosts only',
    );
    const bad = await gw.admin('GET', '/v1/reports/traffic?hours=49', undefined, token.secret);
    t.equal(bad.status, 400, 'more hours than are kept is refused');
    t.equal((bad.body as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
    const admin = await trafficReport(gw, `?host=${DINKES}`);
    t.same(
      admin.hosts.map((h) => [h.host, h.agency, h.requests]),
      [[DINKES, 'dinkes', 1]],
      'an admin reads any host',
    );
  },
);

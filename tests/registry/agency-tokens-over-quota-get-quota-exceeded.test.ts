import t from 'tap';
import {
  DEFAULT_AGENCY_QUOTA_HOSTS,
  DEFAULT_AGENCY_QUOTA_ROUTES_PER_HOST,
} from '../../src/config/defaults.js';
import { toHostDoc } from '../../src/control/host-service.js';
import { encodeHost } from '../../src/model/stored-host.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { agencyWithToken, codeOf } from './kit.js';

const target = 'http://127.0.0.1:9001';
const routes = (n: number): { routes: unknown[] } => ({
  routes: Array.from({ length: n }, (_, i) => ({ path: i === 0 ? '/' : `/r${i}`, targets: [target] })),
});

t.test('an agency token over its quota gets QUOTA_EXCEEDED; only an admin sets the quota', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const token = await agencyWithToken(gw, 'dinkes', ['dinkes.paserkab.go.id']);
  const agency = {
    name: 'Dinas Kesehatan',
    contact: 'dinkes@paserkab.go.id',
    owns: ['dinkes.paserkab.go.id'],
  };
  const set = await gw.admin('PUT', '/v1/agencies/dinkes', {
    ...agency,
    quota: { hosts: 2, routesPerHost: 2 },
  });
  t.equal(set.status, 200);
  t.same(
    (set.body as { quota: unknown }).quota,
    { hosts: 2, routesPerHost: 2 },
    'the agency shows its quota',
  );

  const put = (host: string, body: unknown, as = token) => gw.admin('PUT', `/v1/hosts/${host}`, body, as);
  t.equal((await put('a.dinkes.paserkab.go.id', routes(2))).status, 201);
  t.equal((await put('b.dinkes.paserkab.go.id', routes(1))).status, 201);
  const third = await put('c.dinkes.paserkab.go.id', routes(1));
  t.equal(third.status, 403, 'a third host is over the quota of 2');
  t.equal(codeOf(third.body), 'QUOTA_EXCEEDED');
  t.equal((await put('a.dinkes.paserkab.go.id', routes(1))).status, 200, 'changing a held host is fine');
  const wide = await put('a.dinkes.paserkab.go.id', routes(3));
  t.equal(wide.status, 403, 'three routes are over the quota of 2 per host');
  t.equal(codeOf(wide.body), 'QUOTA_EXCEEDED');

  const raise = await gw.admin('PUT', '/v1/agencies/dinkes', { ...agency, quota: { hosts: 50 } }, token);
  t.equal(raise.status, 403, 'the agency cannot raise its own quota');
  t.not(codeOf(raise.body), undefined);
  const bad = await gw.admin('PUT', '/v1/agencies/dinkes', { ...agency, quota: { hosts: -1 } });
  t.equal(bad.status, 400, 'a negative quota is refused');
  t.match(JSON.stringify(bad.body), /quota\/hosts/, 'naming the field');

  t.equal((await gw.admin('PUT', '/v1/agencies/dinkes', { ...agency, quota: { hosts: 3 } })).status, 200);
  t.equal(
    (await put('c.dinkes.paserkab.go.id', routes(1))).status,
    201,
    'an admin raised it: the third fits',
  );
  t.equal((await put('d.dinkes.paserkab.go.id', routes(1))).status, 403, 'and a fourth does not');
  t.equal(
    (await put('d.dinkes.paserkab.go.id', { ...routes(1), agency: 'dinkes' }, TEST_ADMIN_TOKEN)).status,
    201,
    'an admin may register past the quota',
  );
});

t.test('without a quota on the document the named defaults hold', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const token = await agencyWithToken(gw, 'disdik', ['disdik.paserkab.go.id']);
  const wide = await gw.admin(
    'PUT',
    '/v1/hosts/disdik.paserkab.go.id',
    routes(DEFAULT_AGENCY_QUOTA_ROUTES_PER_HOST + 1),
    token,
  );
  t.equal(
    codeOf(wide.body),
    'QUOTA_EXCEEDED',
    `${DEFAULT_AGENCY_QUOTA_ROUTES_PER_HOST + 1} routes are too many`,
  );
  // Hosts an agency already holds (registered by an admin) count against its quota too.
  for (let i = 0; i < DEFAULT_AGENCY_QUOTA_HOSTS; i++) {
    const doc = toHostDoc(`h${i}.disdik.paserkab.go.id`, { ...routes(1), agency: 'disdik' }, [
      'paserkab.go.id',
    ]);
    await gw.gateway.store.put('hosts', doc.host, encodeHost(doc));
    gw.gateway.publisher.applyLocal(doc.host, doc);
  }
  const over = await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', routes(1), token);
  t.equal(over.status, 403, `host ${DEFAULT_AGENCY_QUOTA_HOSTS + 1} is over the default quota`);
  t.equal(codeOf(over.body), 'QUOTA_EXCEEDED');
});

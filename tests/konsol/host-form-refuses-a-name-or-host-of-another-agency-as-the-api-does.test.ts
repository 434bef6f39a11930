import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

t.test(
  "a member cannot create a name outside their agency nor open or save another agency's host",
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const put = await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', {
      ...simpleHost('http://127.0.0.1:9'),
      agency: 'disdik',
    });
    t.equal(put.status, 201);
    const before = (await gw.admin('GET', '/v1/hosts/disdik.paserkab.go.id')).body;

    const browser = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
    await browser.get('/konsol/hosts/new');
    t.notMatch((await browser.get('/konsol/hosts/new')).text, /name="agency"/, 'a member picks no agency');

    const routes = '- path: /\n  targets: [http://127.0.0.1:9]\n';
    const outside = await browser.post('/konsol/hosts', { host: 'pajak.paserkab.go.id', routes });
    t.equal(outside.status, 403, "a name the agency does not own: the API's 403");
    t.match(
      outside.text,
      /id="e-host"[^>]*>HOST_NOT_OWNED: agency dinkes does not own pajak\.paserkab\.go\.id/,
    );
    t.match(outside.text, /name="host" value="pajak\.paserkab\.go\.id"/, 'the name typed is kept');
    t.equal((await gw.admin('GET', '/v1/hosts/pajak.paserkab.go.id')).status, 404, 'not created');

    const taken = await browser.post('/konsol/hosts', { host: 'disdik.paserkab.go.id', routes });
    t.equal(taken.status, 403, "another agency's registered host: 403, as PUT answers");
    t.match(taken.text, /HOST_NOT_OWNED/);

    const other = '/konsol/hosts/disdik.paserkab.go.id/edit';
    const open = await browser.get(other);
    t.equal(open.status, 403, "typing another agency's edit URL: 403");
    t.match(open.text, /HOST_NOT_OWNED/);
    t.notMatch(open.text, /127\.0\.0\.1:9/, 'nothing of its document is shown');
    const save = await browser.post(other, { routes: '- path: /\n  targets: [http://127.0.0.1:1]\n' });
    t.equal(save.status, 403, "saving another agency's host: 403");
    t.same(
      (await gw.admin('GET', '/v1/hosts/disdik.paserkab.go.id')).body,
      before,
      'their host is untouched',
    );

    const missing = await browser.get('/konsol/hosts/dinkes.paserkab.go.id/edit');
    t.equal(missing.status, 404, 'an own name not registered yet: 404 as GET /v1/hosts/{host}');

    const own = await browser.post('/konsol/hosts', { host: 'dinkes.paserkab.go.id', routes });
    t.equal(own.status, 303, 'their own name is created');
    const created = (await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id')).body as { agency?: string };
    t.equal(created.agency, 'dinkes');
    const again = await browser.post('/konsol/hosts', { host: 'dinkes.paserkab.go.id', routes });
    t.equal(again.status, 409, 'creating it again never overwrites it');
    t.match(again.text, /id="e-host"[^>]*>HOST_TAKEN/);
  },
);

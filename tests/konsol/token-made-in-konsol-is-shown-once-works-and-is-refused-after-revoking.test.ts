import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { ADMIN_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

const bearer = async (url: string, secret: string) =>
  (await fetch(`${url}/v1/hosts`, { headers: { authorization: `Bearer ${secret}` } })).status;

t.test(
  'a token made in Konsol shows its secret once, works as a Bearer token, and gets 401 once revoked',
  async (t) => {
    const logLines: Array<Record<string, unknown>> = [];
    const gw = await startTestGateway({ logLines });
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const browser = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
    await browser.get('/konsol/admin/token');

    const created = await browser.post('/konsol/admin/token', {
      scope: 'agency:dinkes',
      note: 'CI pipeline dinkes',
    });
    t.equal(created.status, 201, 'answered on the spot, not redirected');
    t.equal(created.headers.get('location'), null, 'no redirect URL to carry it');
    t.equal(created.headers.get('cache-control'), 'no-store', 'and not cached');
    const secret = /<code data-secret>([^<]+)<\/code>/.exec(created.text)?.[1] ?? '';
    t.match(secret, /^gbr_[A-Za-z0-9_-]{20,}$/, 'the secret is on the page');
    t.match(created.text, /hanya ditampilkan sekali/, 'which says it is shown once');
    const id = /<h2 id="h-token-(tok_[0-9a-f]+)"/.exec(created.text)?.[1] ?? '';
    t.match(id, /^tok_/, 'the token is listed');

    t.equal(await bearer(gw.adminUrl, secret), 200, 'the secret works against /v1');
    const listed = (await gw.admin('GET', '/v1/tokens')).body as {
      tokens: Array<{ id: string; scope: string }>;
    };
    t.same(
      listed.tokens.find((tok) => tok.id === id)?.scope,
      'agency:dinkes',
      'the API lists it with its scope',
    );

    const again = await browser.get('/konsol/admin/token');
    t.equal(again.status, 200);
    t.ok(again.text.includes(id), 'the list shows the token');
    t.notOk(again.text.includes(secret), 'but never its secret again');
    const english = await browser.get('/konsol/admin/token?lang=en');
    t.notOk(english.text.includes(secret), 'in no language');

    const revoked = await browser.post(`/konsol/admin/token/${id}/hapus`, {});
    t.equal(revoked.status, 303);
    t.notOk((revoked.headers.get('location') ?? '').includes(secret));
    const after = await browser.get(revoked.headers.get('location') ?? '');
    t.match(after.text, /Token dicabut; sejak sekarang ditolak\./, 'the page says the revocation is live');
    t.equal(await bearer(gw.adminUrl, secret), 401, 'the revoked secret gets 401');

    const audit = JSON.stringify((await gw.admin('GET', '/v1/audit?limit=50')).body);
    t.match(audit, /token\.create/, 'the creation is audited');
    t.match(audit, /token\.delete/, 'the revocation is audited');
    t.notOk(audit.includes(secret), 'the audit log has no secret');
    t.ok(logLines.length > 0, 'the gateway logged');
    t.notOk(JSON.stringify(logLines).includes(secret), 'nor does any log line');
  },
);

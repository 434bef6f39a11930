import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { codeOf } from './kit.js';

t.test(
  'a token secret is shown once, kept only as a hash, and refused when unknown, expired or its agency is gone',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await gw.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'x@y.z',
      owns: ['dinkes.paserkab.go.id'],
    });

    const created = await gw.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 'operator dinkes' });
    t.equal(created.status, 201);
    const { id, secret } = created.body as { id: string; secret: string };
    t.match(secret, /^gbr_[A-Za-z0-9_-]{43}$/);
    t.notOk(secret.includes(id), 'the id is not part of the secret');

    const listed = JSON.stringify((await gw.admin('GET', '/v1/tokens')).body);
    t.notOk(listed.includes(secret), 'the secret is never listed');
    t.notOk(listed.includes('hash'), 'nor its hash');
    // The embedded store keeps its state in store.json plus the journal of the writes since (store.journal).
    const files = ['store.json', 'store.journal'].map((f) => join(gw.stateDir, f));
    const state = (await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')))).join('\n');
    t.ok(state.includes('"tokens"'), 'the token is on disk');
    t.notOk(state.includes(secret), 'the state files hold no secret');

    t.equal((await gw.admin('GET', '/v1/hosts', undefined, secret)).status, 200, 'the token works');
    const missing = await fetch(`${gw.adminUrl}/v1/hosts`);
    t.equal(missing.status, 401, 'no token: 401');
    t.equal(codeOf(await missing.json()), 'UNAUTHORIZED');
    t.equal((await gw.admin('GET', '/v1/hosts', undefined, `${secret}x`)).status, 401, 'unknown token: 401');

    t.equal(
      codeOf((await gw.admin('POST', '/v1/tokens', { scope: 'agency:nobody', note: 'x' })).body),
      'VALIDATION_FAILED',
      'a token for an agency that does not exist is refused',
    );
    t.equal(
      codeOf((await gw.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 'x', extra: 1 })).body),
      'VALIDATION_FAILED',
      'unknown fields are refused',
    );
    const soon = new Date(Date.now() + 1_200).toISOString();
    const expiring = (
      await gw.admin('POST', '/v1/tokens', { scope: 'admin', note: 'short', expiresAt: soon })
    ).body as {
      secret: string;
    };
    t.equal(
      (await gw.admin('GET', '/v1/agencies', undefined, expiring.secret)).status,
      200,
      'works before it expires',
    );
    await new Promise((r) => setTimeout(r, 1_400));
    t.equal(
      (await gw.admin('GET', '/v1/agencies', undefined, expiring.secret)).status,
      401,
      'refused once expired',
    );

    t.equal((await gw.admin('DELETE', '/v1/agencies/dinkes')).status, 204);
    t.equal(
      (await gw.admin('GET', '/v1/hosts', undefined, secret)).status,
      401,
      "an agency's tokens go with it",
    );
  },
);

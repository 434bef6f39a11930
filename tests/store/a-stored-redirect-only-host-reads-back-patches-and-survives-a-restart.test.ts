import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

const HOST = 'lama.paserkab.go.id';

t.test(
  'a redirect-only host (no routes) is read back from the store: PATCH works and a restart keeps it',
  async (t) => {
    const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-redirect-only-'));
    t.teardown(() => rm(stateDir, { recursive: true, force: true }));
    const first = await startTestGateway({ stateDir });
    const only = { redirect: { to: 'https://dinkes.paserkab.go.id/', status: 301, keepPath: false } };
    t.equal((await first.admin('PUT', `/v1/hosts/${HOST}`, only)).status, 201);
    const patched = await first.admin('PATCH', `/v1/hosts/${HOST}`, { app: { name: 'Portal lama' } });
    t.equal(patched.status, 200, `PATCH of a redirect-only host: ${JSON.stringify(patched.body)}`);
    const again = await first.admin('PUT', `/v1/hosts/${HOST}`, only);
    t.equal(again.status, 200, `a second PUT updates it: ${JSON.stringify(again.body)}`);
    t.not((again.body as { agency?: string }).agency, '(corrupt)', 'and it is not taken for a corrupt value');
    await first.stop();

    const second = await startTestGateway({ stateDir });
    t.teardown(() => second.stop());
    const read = await second.admin('GET', `/v1/hosts/${HOST}`);
    t.equal(read.status, 200, 'still registered after a restart');
    const answer = await http(`${second.url}/x`, { headers: { host: HOST } });
    t.equal(answer.status, 301, 'and still redirects');
  },
);

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';

t.test(
  'GERBANG_WORKERS=2: an inventory entry written on the primary reaches every worker’s directory',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-cluster-'));
    await writeFile(
      join(dir, 'gerbang.yaml'),
      'zones: [paserkab.go.id]\nbackends: { allow: [127.0.0.0/8] }\n',
    );
    const gw = await spawnGateway({
      GERBANG_CONFIG: join(dir, 'gerbang.yaml'),
      GERBANG_STATE_DIR: dir,
      GERBANG_WORKERS: '2',
    });
    t.teardown(async () => {
      await gw.stop();
      await rm(dir, { recursive: true, force: true });
    });
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(gw.adminUrl + path, {
        method,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    await waitFor('ready', async () => (await fetch(`${gw.adminUrl}/readyz`)).status === 200, 20_000);
    await admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'd@x',
      owns: ['dinkes.paserkab.go.id'],
    });
    const put = await admin('PUT', '/v1/inventory/simpus', {
      agency: 'dinkes',
      state: 'migrating',
      name: 'SIMPUS',
      url: 'http://simpus.example/',
    });
    t.equal(put.status, 201);
    // Fresh connections land on either worker: every one of them must list it.
    let seen = 0;
    await waitFor(
      'ten answers in a row list the entry',
      async () => {
        const res = await http(`${gw.url}/layanan.json`, { host: 'layanan.paserkab.go.id' });
        const moving =
          (JSON.parse(res.body) as { moving?: Array<{ id: string; agencyName: string }> }).moving ?? [];
        seen = moving.some((m) => m.id === 'simpus' && m.agencyName === 'Dinas Kesehatan') ? seen + 1 : 0;
        return seen >= 10;
      },
      10_000,
      20,
    );
    t.pass('every worker lists it');
  },
);

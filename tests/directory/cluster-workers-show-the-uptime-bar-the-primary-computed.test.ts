import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import { startBackend } from '../helpers/backend.js';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';

const DAY = 86_400_000;
const HOST = 'dinkes.paserkab.go.id';

t.test('GERBANG_WORKERS=2: every worker’s directory shows the 90-day bar the primary computed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-cluster-uptime-'));
  const backend = await startBackend();
  await writeFile(join(dir, 'gerbang.yaml'), 'zones: [paserkab.go.id]\nbackends: { allow: [127.0.0.0/8] }\n');
  // Four days of history with a 2.4 h outage two days ago, kept before the gateway starts (as after a restart).
  const now = Date.now();
  // 10:00 WITA two days ago: the whole outage falls in one of the directory's (WITA) days.
  const WITA = 8 * 3_600_000;
  const outage = Math.floor((now + WITA) / DAY) * DAY - WITA - 2 * DAY + 10 * 3_600_000;
  const seed = new EmbeddedStore({ stateDir: dir, logger: pino({ level: 'silent' }) });
  await seed.start();
  await seed.put(
    'uptime',
    HOST,
    JSON.stringify({
      v: 1,
      host: HOST,
      since: now - 4 * DAY,
      lastSeen: now,
      minutesFrom: now,
      minutes: '',
      hoursFrom: now,
      hours: '',
      incidents: [{ start: outage, end: outage + 0.1 * DAY, cause: 'refused' }],
    }),
  );
  await seed.close();
  const gw = await spawnGateway({
    GERBANG_CONFIG: join(dir, 'gerbang.yaml'),
    GERBANG_STATE_DIR: dir,
    GERBANG_WORKERS: '2',
  });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
    await rm(dir, { recursive: true, force: true });
  });
  await waitFor('ready', async () => (await fetch(`${gw.adminUrl}/readyz`)).status === 200, 20_000);
  const put = await fetch(`${gw.adminUrl}/v1/hosts/${HOST}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      routes: [{ path: '/', targets: [backend.origin] }],
      app: { name: 'Portal Dinkes' },
    }),
  });
  t.equal(put.status, 201);
  // Fresh connections land on either worker: every one of them must show it.
  let seen = 0;
  await waitFor(
    'ten answers in a row show the bar',
    async () => {
      const res = await http(`${gw.url}/`, { host: 'layanan.paserkab.go.id' });
      seen =
        res.body.includes('97,5 % aktif dalam 90 hari terakhir') && res.body.includes('data-day="down"')
          ? seen + 1
          : 0;
      return seen >= 10;
    },
    30_000,
    20,
  );
  t.pass('every worker shows the percentage and the down day');
});

/** With the state directory unwritable, PUT and DELETE answer 503 STORE_UNAVAILABLE and leave no trace: not live, not audited, not on disk later. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { STATE_FILE_NAME } from '../../src/store/embedded-store.js';
import { JOURNAL_FILE_NAME } from '../../src/store/state-journal.js';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

const KEPT = 'kept.paserkab.go.id';
const REFUSED = 'refused.paserkab.go.id';

/**
 * We run as root, so chmod cannot stop a write. A directory where the store wants a file can: opening it for
 * writing fails with EISDIR for root too. Both the journal and the state file's temp file are blocked, so
 * neither the append nor a whole-file rewrite can succeed. A journal the start already wrote (TLS ticket keys, the
 * uptime writer's lease) is moved aside meanwhile and put back after.
 */
async function blockWrites(stateDir: string): Promise<() => Promise<void>> {
  const paths = [join(stateDir, JOURNAL_FILE_NAME), join(stateDir, `${STATE_FILE_NAME}.tmp`)];
  const aside = new Map<string, string>();
  for (const path of paths) {
    if (existsSync(path)) {
      aside.set(path, `${path}.aside`);
      await rename(path, `${path}.aside`);
    }
    await mkdir(path);
  }
  return async () => {
    for (const path of paths) {
      await rm(path, { recursive: true, force: true });
      const moved = aside.get(path);
      if (moved !== undefined) await rename(moved, path);
    }
  };
}

async function auditActions(gw: TestGateway): Promise<string[]> {
  const res = await gw.admin('GET', '/v1/audit?limit=100');
  const entries = (res.body as { entries?: Array<{ action: string; target: string }> }).entries ?? [];
  return entries.map((e) => `${e.action} ${e.target}`);
}

t.test('a write refused because the state dir is unwritable is neither live, audited nor kept', async (t) => {
  const backend = await startBackend();
  t.teardown(() => backend.stop());
  const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-unwritable-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const kept = { host: KEPT, ...simpleHost(backend.origin), updatedAt: '2026-01-01T00:00:00.000Z' };
  await writeFile(
    join(stateDir, STATE_FILE_NAME),
    JSON.stringify({ version: 1, savedAt: '', namespaces: { hosts: { [KEPT]: JSON.stringify(kept) } } }),
    { mode: 0o600 },
  );

  let gw = await startTestGateway({ stateDir });
  t.teardown(() => gw.stop());
  t.equal((await http(`${gw.url}/`, { host: KEPT })).status, 200, 'the seeded host is served');
  const unblock = await blockWrites(stateDir);

  const put = await gw.admin('PUT', `/v1/hosts/${REFUSED}`, simpleHost(backend.origin));
  t.equal(put.status, 503, 'PUT is refused');
  t.match(put.body, { error: { code: 'STORE_UNAVAILABLE' } });
  const del = await gw.admin('DELETE', `/v1/hosts/${KEPT}`);
  t.equal(del.status, 503, 'DELETE is refused');
  t.match(del.body, { error: { code: 'STORE_UNAVAILABLE' } });

  t.equal((await gw.admin('GET', `/v1/hosts/${REFUSED}`)).status, 404, 'the refused PUT is not listed');
  t.not((await http(`${gw.url}/`, { host: REFUSED })).status, 200, 'nor routed');
  t.equal((await gw.admin('GET', `/v1/hosts/${KEPT}`)).status, 200, 'the refused DELETE left the host');
  t.equal((await http(`${gw.url}/`, { host: KEPT })).status, 200, 'and it is still served');
  const actions = await auditActions(gw);
  t.notOk(
    actions.some((a) => a.includes(REFUSED) || a === `host.delete ${KEPT}`),
    `no audit entry for a refused write (${actions.join(', ') || 'none'})`,
  );

  // Shut down while still blocked (the last chance to sneak the change in), then restart writable.
  await gw.stop();
  await unblock();
  gw = await startTestGateway({ stateDir });
  t.equal(
    (await gw.admin('GET', `/v1/hosts/${REFUSED}`)).status,
    404,
    'the refused PUT did not reach the disk',
  );
  t.equal((await gw.admin('GET', `/v1/hosts/${KEPT}`)).status, 200, 'nor did the refused DELETE');

  // Writable again: an acknowledged write is on disk before its 2xx, and audited.
  const ok = await gw.admin('PUT', `/v1/hosts/${REFUSED}`, simpleHost(backend.origin));
  t.equal(ok.status, 201, 'a write succeeds once the directory is writable');
  t.ok((await auditActions(gw)).includes(`host.put ${REFUSED}`), 'and is audited');
});

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { MAX_ROUTES_PER_HOST, MAX_TARGETS_PER_ROUTE } from '../../src/config/defaults.js';
import { startTestGateway } from '../helpers/gateway.js';

interface Entry {
  action: string;
  before: { summarized?: boolean; host?: string; routes?: unknown } | null;
  after: { summarized?: boolean; sha256?: string } | null;
  changes?: Array<{ path: string; before?: unknown; after?: unknown }>;
}

/** The largest host the schema allows in routes and targets: ~90 KB of JSON. */
function largeHost(version: number): unknown {
  return {
    routes: Array.from({ length: MAX_ROUTES_PER_HOST }, (_, r) => ({
      path: r === 0 ? '/' : `/layanan-${r}`,
      targets: Array.from(
        { length: MAX_TARGETS_PER_ROUTE },
        (_, i) => `http://127.0.0.${1 + i}:${r === 5 && i === 3 ? 20_000 + version : 9000 + r}`,
      ),
    })),
  };
}

async function dirBytes(dir: string): Promise<number> {
  let sum = 0;
  for (const name of await readdir(dir)) sum += (await stat(join(dir, name))).size;
  return sum;
}

t.test('repeated writes of a large host keep each audit entry small and name what changed', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const host = 'dinkes.paserkab.go.id';
  const writes = 20;
  const docBytes = JSON.stringify(largeHost(0)).length;
  for (let v = 0; v < writes; v++) {
    const res = await gw.admin('PUT', `/v1/hosts/${host}`, largeHost(v));
    t.ok(res.status === 200 || res.status === 201, `write ${v}: ${res.status}`);
  }
  const stored = [...(await gw.gateway.store.getAll('audit')).values()];
  const auditBytes = stored.reduce((sum, raw) => sum + raw.length, 0);
  t.comment(
    `host document ${docBytes} B; ${writes} writes: audit ${auditBytes} B, state dir ${await dirBytes(gw.stateDir)} B`,
  );
  t.ok(
    Math.max(...stored.map((raw) => raw.length)) < 16 * 1024,
    'no entry copies the document (each < 16 KB)',
  );
  t.ok(auditBytes < (writes * docBytes) / 10, 'the log grows by a small fraction of the document per write');

  const read = await gw.admin('GET', `/v1/audit?host=${host}&limit=2`);
  const [last, previous] = (read.body as { entries: Entry[] }).entries;
  t.equal(last?.action, 'host.put');
  t.match(last?.before, { summarized: true, host }, 'before: a summary of the replaced version');
  t.not(last?.after?.sha256, previous?.after?.sha256, 'each version named by its hash');
  t.same(
    last?.changes?.filter((c) => c.path !== '/updatedAt'),
    [
      {
        path: '/routes/5/targets/3',
        before: `http://127.0.0.4:${20_000 + writes - 2}`,
        after: `http://127.0.0.4:${20_000 + writes - 1}`,
      },
    ],
    'the one changed target, with its old and new value',
  );
});

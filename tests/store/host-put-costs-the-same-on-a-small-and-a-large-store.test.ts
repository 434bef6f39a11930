/** A host PUT on the embedded store costs about the same with 10 hosts as with 10,000 hosts and 100,000 audit entries. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { STATE_FILE_NAME } from '../../src/store/embedded-store.js';
import { attackSize } from '../helpers/attack.js';
import { simpleHost, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const LARGE_HOSTS = attackSize(2_000, 10_000);
const LARGE_AUDIT = attackSize(20_000, 100_000);
const PUTS = attackSize(25, 60);
/**
 * Ratio of median PUT latencies, large store over small. A whole-file rewrite per write measured 22x (fast size)
 * and 134x (full size); a journal append is the same at any size, and what is left growing with the store is
 * the route table swap (a few ms at 10,000 hosts), so the bound leaves room for a busy machine.
 */
const MAX_RATIO = 5;

function hostDoc(host: string): Record<string, unknown> {
  return {
    host,
    agency: 'dinkes',
    routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }],
    app: { name: 'Portal', description: 'Layanan publik', owner: 'Dinas', contact: 'ops@paserkab.go.id' },
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A state file as the store writes it, so the gateway starts on a store of the wanted size at once. */
async function seededStateDir(hosts: number, audit: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-flat-'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const hostEntries: Record<string, string> = {};
  for (let i = 0; i < hosts; i++) {
    const name = `seed${i}.paserkab.go.id`;
    hostEntries[name] = JSON.stringify(hostDoc(name));
  }
  const auditEntries: Record<string, string> = {};
  for (let i = 0; i < audit; i++) {
    const id = `${String(1_700_000_000_000 + i).padStart(13, '0')}-0000-00000000`;
    const name = `seed${i % Math.max(1, hosts)}.paserkab.go.id`;
    auditEntries[id] = JSON.stringify({
      id,
      at: new Date(1_700_000_000_000 + i).toISOString(),
      tokenId: 'bootstrap',
      agency: null,
      owners: ['dinkes'],
      ip: '127.0.0.1',
      action: 'host.put',
      target: name,
      before: null,
      after: hostDoc(name),
    });
  }
  const namespaces: Record<string, unknown> = { hosts: hostEntries };
  if (audit > 0) namespaces.audit = auditEntries;
  await writeFile(join(dir, STATE_FILE_NAME), JSON.stringify({ version: 1, savedAt: '', namespaces }), {
    mode: 0o600,
  });
  return dir;
}

async function timedPut(gw: TestGateway, name: string): Promise<number> {
  const started = performance.now();
  const res = await gw.admin('PUT', `/v1/hosts/${name}`, simpleHost('http://127.0.0.1:9'));
  const ms = performance.now() - started;
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT ${name}: ${res.status}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

t.test('a host PUT costs about the same on a small and on a large embedded store', async (t) => {
  const smallDir = await seededStateDir(10, 0);
  const largeDir = await seededStateDir(LARGE_HOSTS, LARGE_AUDIT);
  t.teardown(async () => {
    await rm(smallDir, { recursive: true, force: true });
    await rm(largeDir, { recursive: true, force: true });
  });
  const small = await startTestGateway({ stateDir: smallDir });
  t.teardown(() => small.stop());
  const large = await startTestGateway({ stateDir: largeDir });
  t.teardown(() => large.stop());
  t.equal(large.gateway.publisher.list().length, LARGE_HOSTS, 'the large store was loaded');

  // Warm both (JIT, first journal open), then interleave so a busy moment of the machine hits both alike.
  await timedPut(small, 'warm.paserkab.go.id');
  await timedPut(large, 'warm.paserkab.go.id');
  const smallMs: number[] = [];
  const largeMs: number[] = [];
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < PUTS && Date.now() < deadline; i++) {
    smallMs.push(await timedPut(small, `new${i}.paserkab.go.id`));
    largeMs.push(await timedPut(large, `new${i}.paserkab.go.id`));
  }
  const ratio = median(largeMs) / median(smallMs);
  t.comment(
    `median PUT: ${median(smallMs).toFixed(1)} ms at 10 hosts, ${median(largeMs).toFixed(1)} ms at ` +
      `${LARGE_HOSTS} hosts + ${LARGE_AUDIT} audit entries (ratio ${ratio.toFixed(2)})`,
  );
  t.ok(ratio < MAX_RATIO, `large/small median PUT latency ratio ${ratio.toFixed(2)} < ${MAX_RATIO}`);
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { DEFAULT_AUDIT_MAX_AGE_DAYS, DEFAULT_AUDIT_MAX_ENTRIES } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load-config.js';
import { AuditLog, nextAuditId } from '../../src/control/audit-log.js';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import { startTestGateway } from '../helpers/gateway.js';

const DAY = 86_400_000;
const actor = { principal: { tokenId: 'bootstrap', scope: 'admin' as const }, ip: '127.0.0.1' };
const record = { action: 'host.put', target: 'dinkes.paserkab.go.id', owners: [], before: null, after: null };

t.test('retention removes entries past their age, then the oldest past the count', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-retention-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const logger = pino({ level: 'silent' });
  const store = new EmbeddedStore({ stateDir, logger });
  await store.start();
  t.teardown(() => store.close());
  const now = Date.now();
  // 30 entries of a year ago, as an older Gerbang left them.
  for (let i = 0; i < 30; i++) {
    const id = nextAuditId(now - 365 * DAY + i);
    await store.put(
      'audit',
      id,
      JSON.stringify({ id, at: new Date(now - 365 * DAY).toISOString(), ...record }),
    );
  }
  const audit = new AuditLog(store, logger, { maxAgeDays: 90, maxEntries: 200, pruneIntervalMs: 60_000 });
  for (let i = 0; i < 150; i++) await audit.append(actor, record);
  await audit.prune();
  const afterAge = [...(await store.getAll('audit')).keys()];
  t.equal(afterAge.length, 150, 'the year-old entries are gone, the recent ones stay');
  t.ok(
    afterAge.every((id) => Number(id.slice(0, 13)) > now - 90 * DAY),
    'every kept entry is younger than maxAgeDays',
  );

  for (let i = 0; i < 100; i++) await audit.append(actor, record);
  await audit.prune();
  const kept = [...(await store.getAll('audit')).keys()].sort();
  t.equal(kept.length, 200, 'no more than maxEntries');
  const newest = (await audit.query(actor.principal, { limit: 1 }))[0];
  t.equal(newest?.id, kept.at(-1), 'the oldest went first: the newest is still there');
  await audit.stop();
});

t.test('the audit section has named defaults and a bad value names its field', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  t.same(
    { maxAgeDays: gw.gateway.config.audit?.maxAgeDays, maxEntries: gw.gateway.config.audit?.maxEntries },
    { maxAgeDays: DEFAULT_AUDIT_MAX_AGE_DAYS, maxEntries: DEFAULT_AUDIT_MAX_ENTRIES },
  );
  const file = join(gw.stateDir, 'bad.yaml');
  await writeFile(file, 'zones: [paserkab.go.id]\naudit: { maxEntries: 5 }\n');
  t.throws(() => loadConfig({ GERBANG_CONFIG: file }), /audit\/maxEntries/);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { DEFAULT_AUDIT_REFUSAL_ENTRIES_PER_WINDOW } from '../../src/config/defaults.js';
import { AuditLog } from '../../src/control/audit-log.js';
import { OVERFLOW_ADDRESS, RefusalAudit } from '../../src/control/refusal-audit.js';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import { attackSize } from '../helpers/attack.js';

t.test('a refusal flood from many addresses stores a bounded number of audit entries', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-refusals-'));
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const logger = pino({ level: 'silent' });
  const store = new EmbeddedStore({ stateDir, logger });
  await store.start();
  t.teardown(() => store.close());
  const refusals = new RefusalAudit(new AuditLog(store, logger), { windowMs: 60_000 });
  const flood = attackSize(5_000, 100_000);
  const now = Date.now();
  for (let i = 0; i < flood; i++) {
    refusals.record(
      {
        ip: `2001:db8::${(i % 65_536).toString(16)}:${Math.floor(i / 65_536)}`,
        status: 401,
        code: 'UNAUTHORIZED',
        method: 'GET',
        path: '/v1/hosts',
        principal: undefined,
      },
      now + (i % 1000),
    );
  }
  await refusals.flush();
  const entries = [...(await store.getAll('audit')).values()].map(
    (raw) => JSON.parse(raw) as { ip: string; count: number },
  );
  t.ok(
    entries.length <= DEFAULT_AUDIT_REFUSAL_ENTRIES_PER_WINDOW + 1,
    `${flood} refusals from ${flood} addresses: ${entries.length} entries`,
  );
  t.equal(
    entries.reduce((sum, e) => sum + e.count, 0),
    flood,
    'every refusal is counted',
  );
  const overflow = entries.find((e) => e.ip === OVERFLOW_ADDRESS);
  t.equal(
    overflow?.count,
    flood - DEFAULT_AUDIT_REFUSAL_ENTRIES_PER_WINDOW,
    'the rest in one entry of address *',
  );
});

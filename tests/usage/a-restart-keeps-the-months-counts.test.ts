import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { bytesOfGet, DINKES, rowOf, twoAgencies, usageBackend, usageReport } from './kit.js';

t.test('a restart keeps the month counted so far, and a stop writes what was not flushed yet', async (t) => {
  const backend = await usageBackend();
  const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-usage-restart-'));
  t.teardown(async () => {
    await backend.stop();
    await rm(stateDir, { recursive: true, force: true });
  });
  const first = await startTestGateway({ stateDir });
  await twoAgencies(first, backend.origin);
  let bytes = 0;
  for (const path of ['/a', '/b']) bytes += await bytesOfGet(first, DINKES, path);
  // No flush asked for: stop() writes the last counts before the store closes.
  await first.stop();

  const second = await startTestGateway({ stateDir });
  t.teardown(() => second.stop());
  t.match(
    rowOf(await usageReport(second), DINKES),
    { requests: 2, bytesSent: bytes },
    'kept across the restart',
  );
  bytes += await bytesOfGet(second, DINKES, '/c');
  await second.gateway.usage.flush();
  t.match(rowOf(await usageReport(second), DINKES), { requests: 3, bytesSent: bytes }, 'and added to');
});

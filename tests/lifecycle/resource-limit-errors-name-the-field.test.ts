import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  DEFAULT_MAX_BACKEND_REQUESTS_PER_CLIENT,
  DEFAULT_UPSTREAM_CONNECTIONS,
} from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load-config.js';

async function configWith(limits: string): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-limits-'));
  const path = join(dir, 'gerbang.yaml');
  await writeFile(path, `zones: [paserkab.go.id]\nlimits: ${limits}\n`);
  return { GERBANG_CONFIG: path, GERBANG_STATE_DIR: dir };
}

t.test('the resource caps default to their named constants', async (t) => {
  const limits = loadConfig(await configWith('{}')).limits;
  t.equal(limits.backendConnections, DEFAULT_UPSTREAM_CONNECTIONS);
  t.equal(limits.maxBackendRequestsPerClient, DEFAULT_MAX_BACKEND_REQUESTS_PER_CLIENT);
  t.ok(limits.maxBackendRequestsPerClient < limits.backendConnections, 'a client never gets the whole pool');
});

t.test('a bad resource cap stops the start with the field named', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['{ backendConnections: 16, maxBackendRequestsPerClient: 16 }', /limits\.maxBackendRequestsPerClient/],
    ['{ maxBackendRequestsPerClient: 300 }', /limits\.maxBackendRequestsPerClient/],
    ['{ firstByteTimeoutMs: 5 }', /limits\/firstByteTimeoutMs/],
    ['{ maxConnectionsPerAddress: 0 }', /limits\/maxConnectionsPerAddress/],
    ['{ requestBodyIdleTimeoutMs: "soon" }', /limits\/requestBodyIdleTimeoutMs/],
  ];
  for (const [limits, field] of cases) {
    const env = await configWith(limits);
    t.throws(() => loadConfig(env), { code: 'CONFIG_INVALID', message: field }, `${limits}: names ${field}`);
  }
});

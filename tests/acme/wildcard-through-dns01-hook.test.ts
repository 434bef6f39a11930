import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { simpleHost } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { handshake } from '../helpers/tls-client.js';
import { waitFor } from '../helpers/wait-for.js';

/** An operator's DNS hook: `hook set|clear <name> <value>` → pebble-challtestsrv's management API. */
function hookScript(challtestsrvUrl: string, logFile: string): string {
  return `#!/usr/bin/env node
const [action, name, value] = process.argv.slice(2);
require('node:fs').appendFileSync(${JSON.stringify(logFile)}, action + ' ' + name + '\\n');
const path = action === 'set' ? '/set-txt' : '/clear-txt';
fetch(${JSON.stringify(challtestsrvUrl)} + path, { method: 'POST', body: JSON.stringify({ host: name + '.', value }) })
  .then((res) => process.exit(res.ok ? 0 : 2), () => process.exit(3));
`;
}

t.test('a wildcard host gets its certificate through DNS-01 and an executable DNS hook', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-hook-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const hook = join(dir, 'dns-hook.cjs');
  const log = join(dir, 'hook.log');
  const acmePort = await freePort();
  const gw = await startAcmeGateway(acmePort, { dnsHook: hook });
  t.teardown(() => gw.stop());
  const pebble = await startPebble({
    port: acmePort,
    httpPort: gw.gateway.ports.http,
    tlsPort: gw.gateway.ports.https,
  });
  t.teardown(() => pebble.stop());
  await writeFile(hook, hookScript(pebble.challtestsrvUrl, log));
  await chmod(hook, 0o755);

  t.equal(
    (await gw.admin('PUT', '/v1/hosts/*.dinkes.paserkab.go.id', simpleHost('http://127.0.0.1:9'))).status,
    201,
  );
  const root = await pebble.issuingRoot();
  const served = await waitFor('the wildcard certificate', async () => {
    const hs = await handshake(gw.gateway.ports.https, { servername: 'app.dinkes.paserkab.go.id', ca: root });
    return hs.authorized ? hs : undefined;
  });
  t.equal(served.peer.subjectaltname, 'DNS:*.dinkes.paserkab.go.id');
  t.same((await readFile(log, 'utf8')).trim().split('\n'), [
    'set _acme-challenge.dinkes.paserkab.go.id',
    'clear _acme-challenge.dinkes.paserkab.go.id',
  ]);
});

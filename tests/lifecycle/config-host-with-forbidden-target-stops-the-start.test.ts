import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { spawnGateway } from '../helpers/gateway-process.js';

t.test(
  'a config host whose target the API would refuse stops the start, naming host and target',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-cfg-target-'));
    const file = join(dir, 'gerbang.yaml');
    // The first host is fine (loopback is allowed, as in the demo); the second reaches 10.1.2.3 through 6to4.
    await writeFile(
      file,
      'backends: { allow: [127.0.0.0/8] }\nhosts:\n' +
        '  - host: ok.paserkab.go.id\n    routes: [{ path: /, targets: ["http://127.0.0.1:9101"] }]\n' +
        '  - host: lan.paserkab.go.id\n    routes: [{ path: /, targets: ["http://[2002:a01:203::1]:8080"] }]\n',
    );
    const gw = await spawnGateway({ GERBANG_CONFIG: file, GERBANG_STATE_DIR: dir }, { waitReady: false });
    t.teardown(() => gw.stop());
    // Bounded (a loaded machine starts tsx slowly); the timer is cleared so that it holds nothing open.
    const abort = new AbortController();
    const code = await Promise.race([
      gw.exited,
      sleep(60_000, 'still running' as const, { signal: abort.signal }).catch(() => 'aborted' as const),
    ]);
    abort.abort();
    t.equal(code, 78, 'exits with EX_CONFIG');
    const stderr = gw.stderr();
    t.match(stderr, '/hosts/1 (lan.paserkab.go.id)', 'names the entry and its host');
    t.match(stderr, 'http://[2002:a01:203::1]:8080', 'names the target');
    t.match(stderr, /TARGET_FORBIDDEN.*10\.1\.2\.3/, 'says why, with the code and reason the API gives');
  },
);

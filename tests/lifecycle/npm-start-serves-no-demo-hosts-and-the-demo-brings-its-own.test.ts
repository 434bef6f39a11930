import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';

const admin = (url: string, method: string, path: string, body?: unknown) =>
  fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

t.test(
  'npm start (config/gerbang.yaml) starts with no hosts: the first agency to register dinkes gets it',
  async (t) => {
    const backend = await startBackend();
    const gw = await spawnGateway({ GERBANG_STATE_DIR: await mkdtemp(join(tmpdir(), 'gerbang-start-')) });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const hosts = (await (await admin(gw.adminUrl, 'GET', '/v1/hosts')).json()) as { hosts: unknown[] };
    t.same(hosts.hosts, [], 'no demo host is served by a production start');
    t.equal((await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id' })).status, 404);
    const put = await admin(gw.adminUrl, 'PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    t.equal(put.status, 201, 'registered through the API, not CONFIG_MANAGED');
  },
);

t.test(
  'npm run demo starts its portals on free ports, routes them, and its hints name the real port',
  async (t) => {
    const gw = await spawnGateway(
      { GERBANG_STATE_DIR: await mkdtemp(join(tmpdir(), 'gerbang-demo-')) },
      { entry: 'src/demo/main.ts' },
    );
    t.teardown(() => gw.stop());
    const port = new URL(gw.url).port;
    t.match(gw.stderr(), new RegExp(`curl -H 'Host: dinkes\\.paserkab\\.go\\.id' localhost:${port}/`));
    t.notMatch(gw.stderr(), /127\.0\.0\.1:910[12]\b/, 'no fixed demo ports');
    const page = await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id' });
    t.equal(page.status, 200);
    t.match(page.body, /Dinas Kesehatan \(portal lama\)/);
    const api = await http(`${gw.url}/api/hello`, { host: 'disdik.paserkab.go.id' });
    t.match(api.body, /GET \/hello/, '/api is stripped onto the first portal');
  },
);

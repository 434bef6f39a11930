import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { gerbangCli } from '../helpers/cli.js';
import { startTestGateway } from '../helpers/gateway.js';

t.test(
  'without GERBANG_TOKEN the CLI takes the admin token from the state directory, for a loopback API only',
  async (t) => {
    // No GERBANG_ADMIN_TOKEN: the gateway generates one into <state>/admin-token, as on a first start.
    const gw = await startTestGateway({ env: { GERBANG_ADMIN_TOKEN: '' } });
    t.teardown(() => gw.stop());
    const local = await gerbangCli(['agencies', 'ls'], {
      GERBANG_ADMIN_URL: gw.adminUrl,
      GERBANG_STATE_DIR: gw.stateDir,
    });
    t.equal(local.code, 0, local.stderr);
    t.match(local.stdout, /\(none\)|ID/);

    const cwdDefault = await gerbangCli(
      ['agencies', 'ls'],
      { GERBANG_ADMIN_URL: gw.adminUrl },
      gw.stateDir.replace(/\/?$/, '/..'),
    );
    t.equal(cwdDefault.code, 1, 'no ./data/admin-token there: refused');
    t.match(cwdDefault.stderr, /UNAUTHORIZED.*\(set GERBANG_TOKEN or --token\)/);

    // Another address (a recording server on 127.0.0.2 stands in for a remote API) never gets the local secret.
    const seen: Array<string | undefined> = [];
    const remote = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"UNAUTHORIZED","message":"missing bearer token"}}');
    });
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.2', resolve));
    t.teardown(() => remote.close());
    const port = (remote.address() as AddressInfo).port;
    const elsewhere = await gerbangCli(['agencies', 'ls'], {
      GERBANG_ADMIN_URL: `http://127.0.0.2:${port}`,
      GERBANG_STATE_DIR: gw.stateDir,
    });
    t.equal(elsewhere.code, 1);
    t.same(seen, [undefined], 'the request went out without the admin token');
  },
);

import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { upgradeExchange } from '../helpers/upgrade-client.js';

const HOST = 'chat.paserkab.go.id';

t.test(
  'a WebSocket upgrade counts as a request: past the burst it gets the 429, the backend never sees it',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({ ...simpleHost(origin), rateLimit: { rate: '1/m', burst: 1 } }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;
    // The first one passes the limit (the plain backend declines the upgrade: it reached the backend).
    const first = await upgradeExchange(port, HOST, { waitCloseMs: 2_000 });
    first.socket.destroy();
    t.equal(backend.seen.length, 1, 'the first upgrade reached the backend');
    const refused = await upgradeExchange(port, HOST, { waitCloseMs: 2_000 });
    refused.socket.destroy();
    t.equal(refused.status, 429);
    t.match(refused.text, /\r\nRetry-After: \d+\r\n/i);
    t.match(refused.text, /\r\nratelimit: "default";r=0;t=\d+\r\n/i);
    t.match(refused.text, /\r\nratelimit-policy: "default";q=1;w=60\r\n/i);
    t.match(refused.text, /Terlalu banyak permintaan/);
    t.ok(refused.closedByServer, 'the connection closes after the answer');
    t.equal(backend.seen.length, 1, 'the refused upgrade never reached the backend');
  },
);

import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from '../policy/kit.js';

const HOST = 'dinkes.paserkab.go.id';
const OLD = 'dinkes-paser.go.id';

t.test('an alias that serves answers with the host’s routes, sent upstream as the host', async (t) => {
  const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
    hostDoc: (origin) => ({ ...simpleHost(origin), aliases: [{ name: OLD, mode: 'serve' }] }),
  });
  t.equal(put.status, 201, JSON.stringify(put.body));
  const res = await rawTargetGet(gw.gateway.ports.http, OLD, '/jadwal?hari=senin');
  t.equal(res.status, 200);
  t.equal(backend.seen.length, 1);
  t.equal(backend.seen[0]?.url, '/jadwal?hari=senin');
  t.match(backend.seen[0]?.headers.host, /^dinkes\.paserkab\.go\.id(:\d+)?$/, 'the backend sees the host');
  t.equal((await rawTargetGet(gw.gateway.ports.http, 'lain.go.id', '/')).status, 404, 'other names unknown');
});

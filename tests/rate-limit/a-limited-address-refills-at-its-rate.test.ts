import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from '../policy/kit.js';

const HOST = 'sipd.paserkab.go.id';

t.test('a refused address passes again once its rate has refilled a request', async (t) => {
  const { gw, put } = await proxiedHost(t, HOST, undefined, {
    hostDoc: (origin) => ({ ...simpleHost(origin), rateLimit: { rate: '5/s', burst: 2 } }),
  });
  t.equal(put.status, 201, JSON.stringify(put.body));
  const port = gw.gateway.ports.http;
  t.equal((await rawTargetGet(port, HOST, '/')).status, 200);
  t.equal((await rawTargetGet(port, HOST, '/')).status, 200);
  const refused = await rawTargetGet(port, HOST, '/');
  t.equal(refused.status, 429, 'the burst is spent');
  t.equal(refused.headers['retry-after'], '1', 'a request refills within a second');
  t.equal(
    refused.headers['ratelimit-policy'],
    '"default";q=5;w=1',
    'the rate as written: 2 at 200 ms is no whole second',
  );
  // One request every 200 ms: after 450 ms two have refilled.
  await sleep(450);
  t.equal((await rawTargetGet(port, HOST, '/')).status, 200, 'refilled');
  t.equal((await rawTargetGet(port, HOST, '/')).status, 200, 'a second one refilled');
  t.equal((await rawTargetGet(port, HOST, '/')).status, 429, 'and no more');
});

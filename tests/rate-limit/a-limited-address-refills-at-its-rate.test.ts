import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from '../policy/kit.js';

const HOST = 'sipd.paserkab.go.id';

t.test('a refused address passes again once its rate has refilled a request', async (t) => {
  const { gw, put } = await proxiedHost(t, HOST, undefined, {
    hostDoc: (origin) => ({ ...simpleHost(origin), rateLimit: { rate: '1/s', burst: 2 } }),
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
    '"default";q=2;w=2',
    'the burst of 2 refills in a whole 2 s: the policy says so',
  );
  // One request a second: after 2.1 s two have refilled. (A slow rate, so a busy machine's slow requests do not
  // refill the bucket between the checks: at 5/s, CI's ~100 ms a request did.)
  await sleep(2_100);
  t.equal((await rawTargetGet(port, HOST, '/')).status, 200, 'refilled');
  t.equal((await rawTargetGet(port, HOST, '/')).status, 200, 'a second one refilled');
  t.equal((await rawTargetGet(port, HOST, '/')).status, 429, 'and no more');
});

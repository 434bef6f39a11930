import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis-server.js';
import { agencyWithToken, codeOf } from './kit.js';

t.test(
  'a host write re-reads the owner under a store lock, so a concurrent winner on another instance is not overwritten',
  async (t) => {
    const redis = await startRedis();
    const a = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    const b = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    t.teardown(async () => {
      await a.stop();
      await b.stop();
      await redis.stop();
    });
    const dinkes = await agencyWithToken(a, 'dinkes', ['dinkes.paserkab.go.id']);
    await agencyWithToken(a, 'disdik', ['disdik.paserkab.go.id']);
    await sleep(200); // instance b's mirror learns the agency and the token
    const host = 'app.dinkes.paserkab.go.id';

    // Instance a is in the middle of a write to this host: it holds the lock.
    const lock = await a.gateway.store.tryLock(`host:${host}`, 10_000);
    t.ok(lock, 'lock taken');
    const pending = b.admin(
      'PUT',
      `/v1/hosts/${host}`,
      { routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }] },
      dinkes,
    );
    await sleep(300);
    // ...and while b waits, the other write lands: DKISP gives the host to disdik.
    await a.gateway.store.put(
      'hosts',
      host,
      JSON.stringify({
        host,
        agency: 'disdik',
        routes: [{ path: '/', targets: ['http://127.0.0.1:10'] }],
        updatedAt: new Date().toISOString(),
      }),
    );
    await lock?.release();
    const res = await pending;
    t.equal(res.status, 409, 'the waiting write sees the new owner');
    t.equal(codeOf(res.body), 'HOST_TAKEN');
    const stored = JSON.parse((await b.gateway.store.get('hosts', host)) ?? '{}') as { agency?: string };
    t.equal(stored.agency, 'disdik', 'the winner stays');

    const held = await a.gateway.store.tryLock('host:other.dinkes.paserkab.go.id', 10_000);
    const busy = await b.admin(
      'PUT',
      '/v1/hosts/other.dinkes.paserkab.go.id',
      { routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }] },
      dinkes,
    );
    t.equal(busy.status, 409, 'a lock held too long: CONFLICT, try again');
    t.equal(codeOf(busy.body), 'CONFLICT');
    t.equal(
      await b.gateway.store.get('hosts', 'other.dinkes.paserkab.go.id'),
      undefined,
      'and nothing written',
    );
    await held?.release();
  },
);

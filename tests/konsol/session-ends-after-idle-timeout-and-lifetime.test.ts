import t from 'tap';
import { SessionStore } from '../../src/control/konsol/session-store.js';
import { startTestGateway } from '../helpers/gateway.js';

t.test('a session ends after its idle timeout and after its lifetime, whichever comes first', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const store = gw.gateway.store;
  // No local cache: every lookup reads the store, as another instance would.
  const sessions = new SessionStore(store, { lifetimeMs: 10_000, idleMs: 3_000, touchMs: 1_000, cacheMs: 0 });
  const t0 = 1_000_000;

  const idle = await sessions.open('usr_idle', t0);
  t.ok(await sessions.find(idle.secret, t0 + 2_900), 'in use within the idle timeout');
  t.ok(await sessions.find(idle.secret, t0 + 5_800), 'the last use was written back: still alive');
  t.notOk(await sessions.find(idle.secret, t0 + 8_900), 'idle for 3 s: ended');
  t.equal(await store.get('sessions', idle.id), undefined, 'and removed from the store');

  const busy = await sessions.open('usr_busy', t0);
  for (let at = t0 + 2_000; at < t0 + 10_000; at += 2_000)
    t.ok(await sessions.find(busy.secret, at), `alive at +${at - t0} ms`);
  t.notOk(await sessions.find(busy.secret, t0 + 10_000), 'used all along, yet ended at its lifetime');

  t.notOk(await sessions.find('not-a-secret'), 'a malformed cookie is no session');
  t.notOk(await sessions.find('A'.repeat(43)), 'an unknown one neither');
  const secretInStore = [...(await store.getAll('sessions')).keys()].some((k) => k === busy.secret);
  t.notOk(secretInStore, 'the store keys sessions by a hash, never by the cookie secret');
});

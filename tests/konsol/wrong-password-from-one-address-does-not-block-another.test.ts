import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { KonsolClient, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

t.test(
  'failed logins are slowed per address and account, never a correct login from another address',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const attacker = new KonsolClient(gw.adminUrl, '127.0.0.1');
    const owner = new KonsolClient(gw.adminUrl, '127.0.0.2');
    t.teardown(() => attacker.close());
    t.teardown(() => owner.close());

    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attacker.login('budi', `guess number ${i}`)).status);
    t.same(statuses.slice(0, 3), [401, 401, 401], 'the first failures are plain 401s');
    t.equal(statuses[3], 429, 'then a delay, answered 429');
    t.ok(
      statuses.slice(4).every((s) => s === 429),
      'and every failure while it runs',
    );
    const last = await attacker.login('budi', 'yet another guess');
    t.equal(last.status, 429);
    t.ok(Number(last.headers.get('retry-after')) >= 1, 'with Retry-After');
    t.match(last.text, /Terlalu banyak percobaan gagal/);

    const correct = await owner.login('budi', MEMBER_PASSWORD);
    t.equal(correct.status, 303, `the owner, from 127.0.0.2, gets in at once`);
    t.equal((await owner.get('/konsol/')).status, 200);

    const otherAccount = await attacker.login('admin', 'wrong too');
    t.equal(otherAccount.status, 429, 'the failing address is slowed on every account');
  },
);

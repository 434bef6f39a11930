import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { gerbangCli } from '../helpers/cli.js';
import { simpleHost, startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

const HOST = 'disnaker.paserkab.go.id';

t.test(
  'hosts set --rate-limit/--burst/--exempt set and change the limit; --rate-limit off removes it',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const env = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };
    t.equal((await gw.admin('PUT', `/v1/hosts/${HOST}`, simpleHost(backend.origin))).status, 201);
    const read = async () => (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as Record<string, unknown>;

    const set = await gerbangCli(
      ['hosts', 'set', HOST, '--rate-limit', '10/s', '--burst', '20', '--exempt', '10.20.0.0/16'],
      env,
    );
    t.equal(set.code, 0, set.stderr);
    t.equal(set.stdout, `updated ${HOST}: rateLimit\n`);
    t.same((await read()).rateLimit, { rate: '10/s', burst: 20, exempt: ['10.20.0.0/16'] });

    const burst = await gerbangCli(['hosts', 'set', HOST, '--burst', '50'], env);
    t.equal(burst.code, 0, burst.stderr);
    t.same(
      (await read()).rateLimit,
      { rate: '10/s', burst: 50, exempt: ['10.20.0.0/16'] },
      'only the burst changed',
    );

    const bad = await gerbangCli(['hosts', 'set', HOST, '--rate-limit', '10/day'], env);
    t.not(bad.code, 0);
    t.match(bad.stderr, /rateLimit\/rate/, 'the API names the field');
    const badBurst = await gerbangCli(['hosts', 'set', HOST, '--burst', 'banyak'], env);
    t.not(badBurst.code, 0);
    t.match(badBurst.stderr, /--burst banyak/);

    const off = await gerbangCli(['hosts', 'set', HOST, '--rate-limit', 'off'], env);
    t.equal(off.code, 0, off.stderr);
    const after = await read();
    t.equal(after.rateLimit, undefined, 'removed');
    t.same(after.routes, simpleHost(backend.origin).routes, 'the routes stay');
  },
);

import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

const ORIGIN = 'http://127.0.0.1:9';

t.test(
  'a redirect to itself or round a cycle of hosts is refused with REDIRECT_LOOP and the field',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const self = await gw.admin('PUT', '/v1/hosts/a.paserkab.go.id', {
      ...simpleHost(ORIGIN),
      redirects: [
        { prefix: '/x', to: '/y' },
        { prefix: '/y', to: 'a.paserkab.go.id/x' },
      ],
    });
    t.equal(self.status, 400);
    t.match(self.body, { error: { code: 'REDIRECT_LOOP', message: /^\/redirects\/0/ } });
    const grows = await gw.admin('PUT', '/v1/hosts/a.paserkab.go.id', {
      ...simpleHost(ORIGIN),
      redirects: [{ prefix: '/lama', to: '/lama/baru' }],
    });
    t.match(grows.body, { error: { code: 'REDIRECT_LOOP' } }, 'a path that grows for ever');
    const wholeSelf = await gw.admin('PUT', '/v1/hosts/b.paserkab.go.id', {
      redirect: { to: 'https://b.paserkab.go.id' },
    });
    t.match(wholeSelf.body, { error: { code: 'REDIRECT_LOOP', message: /^\/redirect/ } });

    // a → b (redirect-only), b → c's alias, c's redirecting alias → c, c /p → a: the last write closes the cycle.
    t.equal(
      (await gw.admin('PUT', '/v1/hosts/a.paserkab.go.id', { redirect: { to: 'https://b.paserkab.go.id' } }))
        .status,
      201,
    );
    t.equal(
      (
        await gw.admin('PUT', '/v1/hosts/b.paserkab.go.id', {
          ...simpleHost(ORIGIN),
          redirects: [{ prefix: '/', to: 'https://c-lama.go.id/p' }],
        })
      ).status,
      201,
    );
    t.equal(
      (
        await gw.admin('PUT', '/v1/hosts/c.paserkab.go.id', {
          ...simpleHost(ORIGIN),
          aliases: [{ name: 'c-lama.go.id' }],
        })
      ).status,
      201,
    );
    const cycle = await gw.admin('PUT', '/v1/hosts/c.paserkab.go.id', {
      ...simpleHost(ORIGIN),
      aliases: [{ name: 'c-lama.go.id' }],
      redirects: [{ prefix: '/p', to: 'https://a.paserkab.go.id/' }],
    });
    t.equal(cycle.status, 400);
    t.match(cycle.body, { error: { code: 'REDIRECT_LOOP', message: /^\/(redirects\/0|aliases\/0)/ } });
    const ok = await gw.admin('PUT', '/v1/hosts/c.paserkab.go.id', {
      ...simpleHost(ORIGIN),
      aliases: [{ name: 'c-lama.go.id' }],
      redirects: [{ prefix: '/p', to: 'https://d.paserkab.go.id/' }],
    });
    t.equal(ok.status, 200, 'the same rule to a host that does not send back is accepted');
  },
);

import t from 'tap';
import { gerbangCli } from '../helpers/cli.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

const HOST = 'disnaker.paserkab.go.id';

t.test(
  'hosts set --header-* / --no-default-headers / --error-text patch headers and errorPages only',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const env = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };
    const routes = [{ path: '/', targets: ['http://127.0.0.1:9'] }];
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${HOST}`, { routes, headers: { response: { remove: ['X-Old'] } } }))
        .status,
      201,
    );
    const read = async () => (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as Record<string, unknown>;

    const first = await gerbangCli(
      [
        'hosts',
        'set',
        HOST,
        '--header-set',
        "Content-Security-Policy: default-src 'self'",
        '--header-set-if-absent',
        'Permissions-Policy: camera=()',
        '--header-remove',
        'X-Debug',
        '--request-header-remove',
        'Cookie',
        '--no-default-headers',
        '--error-text',
        '404=Halaman <lama> sudah pindah',
        '--error-text',
        '404.en=The old page moved',
        '--error-text',
        'maintenance=Hubungi 112',
      ],
      env,
    );
    t.equal(first.code, 0, first.stderr);
    const now = await read();
    t.same(now.routes, routes, 'routes untouched');
    t.same(now.headers, {
      response: {
        remove: ['X-Old', 'X-Debug'],
        set: { 'Content-Security-Policy': "default-src 'self'" },
        setIfAbsent: { 'Permissions-Policy': 'camera=()' },
      },
      request: { remove: ['Cookie'] },
      defaults: false,
    });
    t.same(now.errorPages, {
      '404': { id: 'Halaman <lama> sudah pindah', en: 'The old page moved' },
      maintenance: { id: 'Hubungi 112' },
    });

    const refused = await gerbangCli(['hosts', 'set', HOST, '--header-set', 'X-Request-Id: mine'], env);
    t.not(refused.code, 0, 'a forbidden field is refused by the API');
    t.match(refused.stderr, /HEADER_FORBIDDEN|X-Request-Id/);
    const bad = await gerbangCli(['hosts', 'set', HOST, '--error-text', '500=x'], env);
    t.not(bad.code, 0);
    t.match(bad.stderr, /--error-text 500=x/);
    t.same((await read()).headers, now.headers, 'nothing changed by the refused ones');
  },
);

import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

const ORIGIN = 'http://127.0.0.1:9';

t.test(
  'an alias never captures a name another agency owns, another host, or another host’s alias',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    for (const id of ['dinkes', 'disdik']) {
      await gw.admin('PUT', `/v1/agencies/${id}`, {
        name: id,
        contact: `${id}@paserkab.go.id`,
        owns: [`${id}.paserkab.go.id`, `${id}-paser.go.id`],
      });
    }
    t.equal(
      (await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', { agency: 'disdik', ...simpleHost(ORIGIN) }))
        .status,
      201,
    );
    const put = (aliases: string[]) =>
      gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
        agency: 'dinkes',
        ...simpleHost(ORIGIN),
        aliases: aliases.map((name) => ({ name })),
      });
    for (const [name, why] of [
      ['disdik-paser.go.id', /owned by agency disdik/],
      ['disdik.paserkab.go.id', /registered as a host|owned by agency disdik/],
      ['www.disdik.paserkab.go.id', /owned by agency disdik/],
    ] as const) {
      const res = await put(['dinkes-paser.go.id', name]);
      t.equal(res.status, 409, name);
      t.match(res.body, { error: { code: 'ALIAS_TAKEN', message: /^\/aliases\/1\/name/ } });
      t.match((res.body as { error: { message: string } }).error.message, why);
    }
    t.equal((await put(['dinkes-paser.go.id', 'lama.dinkes.paserkab.go.id'])).status, 201);
    // A host without an agency (admin's) cannot take dinkes' alias either.
    const again = await gw.admin('PUT', '/v1/hosts/portal.paserkab.go.id', {
      ...simpleHost(ORIGIN),
      aliases: [{ name: 'dinkes-paser.go.id' }],
    });
    t.equal(again.status, 409);
    t.match(again.body, { error: { code: 'ALIAS_TAKEN' } });
    // Nor can a host be registered on a name that is an alias, even by the same agency.
    const taken = await gw.admin('PUT', '/v1/hosts/lama.dinkes.paserkab.go.id', {
      agency: 'dinkes',
      ...simpleHost(ORIGIN),
    });
    t.equal(taken.status, 409);
    t.match(taken.body, {
      error: { code: 'ALIAS_TAKEN', message: /^\/host: .* is an alias of dinkes\.paserkab\.go\.id/ },
    });
    const under = await gw.admin('PUT', '/v1/hosts/www.dinkes.paserkab.go.id', {
      agency: 'dinkes',
      ...simpleHost(ORIGIN),
    });
    t.equal(under.status, 201, 'a name under the host is not its alias');
  },
);

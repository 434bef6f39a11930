import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { codeOf } from './kit.js';

t.test(
  'a host name is owned by one agency: overlapping `owns` are refused, and names are validated',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const agency = (owns: string[]) => ({ name: 'Dinas', contact: 'x@paserkab.go.id', owns });
    t.equal((await gw.admin('PUT', '/v1/agencies/dinkes', agency(['Dinkes.Paserkab.go.id.']))).status, 201);
    t.same(
      ((await gw.admin('GET', '/v1/agencies/dinkes')).body as { owns: string[] }).owns,
      ['dinkes.paserkab.go.id'],
      'normalised',
    );
    for (const owns of [['dinkes.paserkab.go.id'], ['rs.dinkes.paserkab.go.id'], ['paserkab.go.id']]) {
      const res = await gw.admin('PUT', '/v1/agencies/disdik', agency(owns));
      t.equal(res.status, 409, `${owns[0]} overlaps dinkes`);
      t.equal(codeOf(res.body), 'CONFLICT');
    }
    // An admin grants a name outside the zones (an old domain) for aliases (issue 16); a non-name is still refused.
    t.equal(
      codeOf((await gw.admin('PUT', '/v1/agencies/disdik', agency(['disdik_lama.example.com']))).body),
      'INVALID_HOST',
    );
    t.equal(
      codeOf((await gw.admin('PUT', '/v1/agencies/disdik', agency(['*.disdik.paserkab.go.id']))).body),
      'VALIDATION_FAILED',
    );
    t.equal(codeOf((await gw.admin('PUT', '/v1/agencies/Dis_Dik', agency([]))).body), 'VALIDATION_FAILED');
    t.equal(
      codeOf((await gw.admin('PUT', '/v1/agencies/disdik', { ...agency([]), name: 'x'.repeat(201) })).body),
      'VALIDATION_FAILED',
    );
    t.equal((await gw.admin('GET', '/v1/agencies/disdik')).status, 404, 'refused writes created nothing');
    t.equal((await gw.admin('PUT', '/v1/agencies/disdik', agency(['disdik.paserkab.go.id']))).status, 201);
    await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', {
      agency: 'disdik',
      routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }],
    });
    const busy = await gw.admin('DELETE', '/v1/agencies/disdik');
    t.equal(busy.status, 409, 'an agency with hosts cannot be removed');
    t.match((busy.body as { error: { message: string } }).error.message, /disdik\.paserkab\.go\.id/);
  },
);

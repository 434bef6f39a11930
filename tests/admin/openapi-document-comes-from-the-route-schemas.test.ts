import t from 'tap';
import { AgencyBodySchema } from '../../src/model/agency-schema.js';
import { HostBodySchema } from '../../src/model/host-schema.js';
import { startTestGateway } from '../helpers/gateway.js';

t.test('/openapi.json describes the admin API from the same schemas that validate it', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const res = await fetch(`${gw.adminUrl}/openapi.json`);
  t.equal(res.status, 200, 'served without a token');
  const doc = (await res.json()) as {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        { requestBody?: { content: { 'application/json': { schema: { properties: object } } } } }
      >
    >;
  };
  t.equal(doc.openapi, '3.1.0');
  for (const [path, method] of [
    ['/v1/hosts', 'get'],
    ['/v1/hosts/{host}', 'put'],
    ['/v1/hosts/{host}', 'delete'],
    ['/v1/agencies/{id}', 'put'],
    ['/v1/tokens', 'post'],
    ['/v1/tokens/{id}', 'delete'],
    ['/v1/audit', 'get'],
  ] as const) {
    t.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
  }
  const hostBody = doc.paths['/v1/hosts/{host}']?.put?.requestBody?.content['application/json'].schema;
  t.same(
    Object.keys(hostBody?.properties ?? {}).sort(),
    Object.keys(HostBodySchema.properties).sort(),
    'host body = HostBodySchema',
  );
  const agencyBody = doc.paths['/v1/agencies/{id}']?.put?.requestBody?.content['application/json'].schema;
  t.same(Object.keys(agencyBody?.properties ?? {}).sort(), Object.keys(AgencyBodySchema.properties).sort());

  // The route validates with that schema: an unknown field is a 400 naming it.
  const bad = await gw.admin('PUT', '/v1/agencies/dinkes', {
    name: 'x',
    contact: 'y',
    owns: [],
    colour: 'red',
  });
  t.equal(bad.status, 400);
  t.match(JSON.stringify(bad.body), /VALIDATION_FAILED/);
  const badQuery = await gw.admin('GET', '/v1/audit?limit=0');
  t.equal(badQuery.status, 400);
  t.match(
    (badQuery.body as { error: { message: string } }).error.message,
    /\/limit/,
    'the message names the field',
  );
  t.equal((await gw.admin('GET', '/v1/audit?limit=5')).status, 200, 'query numbers are coerced');
});

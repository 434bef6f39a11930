import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

const HOST = 'dinkes.paserkab.go.id';
const OLD = 'dinkes-paser.go.id';

t.test('an agency names an alias outside the zones only once an admin granted it in owns', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const agency = (owns: string[]) => ({ name: 'Dinkes', contact: 'x@paserkab.go.id', owns });
  t.equal((await gw.admin('PUT', '/v1/agencies/dinkes', agency([HOST]))).status, 201);
  const token = (await gw.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 't' })).body as {
    secret: string;
  };
  const doc = { ...simpleHost('http://127.0.0.1:9'), aliases: [{ name: OLD }] };
  const refused = await gw.admin('PUT', `/v1/hosts/${HOST}`, doc, token.secret);
  t.equal(refused.status, 403);
  t.match(refused.body, { error: { code: 'HOST_NOT_OWNED', message: /\/aliases\/0\/name/ } });
  t.equal((await gw.admin('GET', `/v1/hosts/${HOST}`)).status, 404, 'nothing stored');

  t.equal((await gw.admin('PUT', '/v1/agencies/dinkes', agency([HOST, OLD]))).status, 200);
  const granted = await gw.admin('PUT', `/v1/hosts/${HOST}`, doc, token.secret);
  t.equal(granted.status, 201, JSON.stringify(granted.body));
});

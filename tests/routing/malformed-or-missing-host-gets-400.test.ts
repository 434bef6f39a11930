import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { http, rawExchange } from '../helpers/http.js';

t.test('a missing or malformed Host header is a 400', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const port = gw.gateway.ports.http;

  const missing = await rawExchange(port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
  t.match(missing, /^HTTP\/1\.1 400 /, 'HTTP/1.1 without Host');

  for (const host of ['bad_host!', 'dinkes.paserkab.go.id:http', '[::1', 'a'.repeat(300)]) {
    const res = await http(`${gw.url}/`, { host });
    t.equal(res.status, 400, `Host: ${host.slice(0, 20)}`);
  }

  const absolute = await rawExchange(
    port,
    'GET http://169.254.169.254/latest HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nConnection: close\r\n\r\n',
  );
  t.match(absolute, /^HTTP\/1\.1 (400|404) /, 'an absolute-form target never picks its own upstream');
});

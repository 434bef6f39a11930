import { connect } from 'node:net';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d) => {
      out += d.toString('latin1');
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
  });
}

t.test('a missing or malformed Host header is a 400', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const port = gw.gateway.ports.http;

  const missing = await rawRequest(port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
  t.match(missing, /^HTTP\/1\.1 400 /, 'HTTP/1.1 without Host');

  for (const host of ['bad_host!', 'dinkes.paserkab.go.id:http', '[::1', 'a'.repeat(300)]) {
    const res = await http(`${gw.url}/`, { host });
    t.equal(res.status, 400, `Host: ${host.slice(0, 20)}`);
  }

  const absolute = await rawRequest(
    port,
    'GET http://169.254.169.254/latest HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nConnection: close\r\n\r\n',
  );
  t.match(absolute, /^HTTP\/1\.1 (400|404) /, 'an absolute-form target never picks its own upstream');
});

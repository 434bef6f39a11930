import t from 'tap';
import { rawRequest } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

t.test('a request with two Host headers gets 400 (RFC 9112 §3.2) and reaches no backend', async (t) => {
  const { backend, gw } = await proxiedHost(t, 'dinkes.paserkab.go.id');
  const port = gw.gateway.ports.http;
  for (const [first, second] of [
    ['dinkes.paserkab.go.id', 'evil.example'],
    ['dinkes.paserkab.go.id', 'dinkes.paserkab.go.id'],
    ['evil.example', 'dinkes.paserkab.go.id'],
  ]) {
    const answer = await rawRequest(
      port,
      `GET / HTTP/1.1\r\nHost: ${first}\r\nhost: ${second}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`,
    );
    t.match(answer, /^HTTP\/1\.1 400 /, `${first} then ${second}`);
    t.match(answer, /"code":"AMBIGUOUS_HOST"/);
  }
  t.equal(backend.seen.length, 0);
  const one = await rawRequest(
    port,
    'GET / HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nConnection: close\r\n\r\n',
  );
  t.match(one, /^HTTP\/1\.1 200 /, 'one Host is served as before');
});

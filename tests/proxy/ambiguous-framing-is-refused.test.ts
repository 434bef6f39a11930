import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { rawExchange } from '../helpers/http.js';

const host = 'Host: dinkes.paserkab.go.id\r\n';
const CASES: Record<string, string> = {
  'Content-Length and Transfer-Encoding': `POST / HTTP/1.1\r\n${host}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  'two different Content-Lengths': `POST / HTTP/1.1\r\n${host}Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde`,
  'bad chunk size': `POST / HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
  'obfuscated Transfer-Encoding': `POST / HTTP/1.1\r\n${host}Transfer-Encoding: xchunked\r\nContent-Length: 3\r\n\r\nabc`,
  'space before colon': `GET / HTTP/1.1\r\n${host}Content-Length : 3\r\n\r\nabc`,
};

t.test('a request with ambiguous framing is refused and nothing of it reaches a backend', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
  for (const [name, request] of Object.entries(CASES)) {
    const answer = await rawExchange(gw.gateway.ports.http, request);
    t.match(answer, /^HTTP\/1\.1 400 /, name);
  }
  t.equal(backend.seen.length, 0, 'the backend saw none of them');
});

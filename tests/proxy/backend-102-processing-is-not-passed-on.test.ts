import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/http.js';
import { startInterimBackend } from '../helpers/interim-backend.js';

const HOST = 'processing.paserkab.go.id';

// Only 103 is passed on (early-hints.ts). A 100 is not tried here: undici refuses any 100 from a backend (it
// destroys the connection, the client gets a 502), whatever Gerbang does with interim responses.
t.test("a backend's 102 Processing stays in Gerbang: the client sees the 200 only", async (t) => {
  const backend = await startInterimBackend(
    ['HTTP/1.1 102 Processing\r\n\r\n', 'HTTP/1.1 102 Processing\r\n\r\n'],
    ['Content-Type: text/plain'],
    'ok',
  );
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  const put = await gw.admin(
    'PUT',
    `/v1/hosts/${HOST}`,
    simpleHost(backend.origin, { cache: { enabled: false } }),
  );
  t.equal(put.status, 201, 'host registered');
  const text = await rawRequest(
    Number(new URL(gw.url).port),
    `GET / HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`,
  );
  t.ok(text.startsWith('HTTP/1.1 200'), 'the first thing the client reads is the 200');
  t.notMatch(text, /HTTP\/1\.1 1\d\d/, 'no interim response');
  t.match(text, /\r\n\r\nok$/, 'the body follows');
});

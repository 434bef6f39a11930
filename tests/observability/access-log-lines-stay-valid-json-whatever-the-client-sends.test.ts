import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { rawExchange } from '../helpers/http.js';

t.test('quotes, backslashes and odd bytes from a client are escaped in its access line', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const gw = await startTestGateway({ logLines: lines });
  t.teardown(() => gw.stop());
  const port = Number(new URL(gw.url).port);
  const host = 'tamu"\\\u00e9.paserkab.go.id';
  const response = await rawExchange(
    port,
    `GET /cari?q=%22x%22&r=\\ HTTP/1.1\r\nHost: ${host}\r\nX-Request-Id: access-escape-test-1\r\nConnection: close\r\n\r\n`,
  );
  t.match(response, /^HTTP\/1\.1 (400|404) /, 'the gateway answered the request');
  await new Promise((r) => setTimeout(r, 100));
  // The capture parses every line as JSON: a broken line would have thrown or be missing.
  const access = lines.find((l) => l.log === 'access' && l.reqId === 'access-escape-test-1');
  t.ok(access, 'the access line parsed as JSON');
  t.equal(access?.url, '/cari?q=%22x%22&r=\\', 'the URL as the client sent it');
  t.match(access?.host, /^tamu"\\/, 'quote and backslash kept, escaped in the line');
});

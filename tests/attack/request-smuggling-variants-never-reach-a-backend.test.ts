import t from 'tap';
import { rawExchange } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'Host: selundup.paserkab.go.id\r\n';
const SMUGGLED = 'GET /admin HTTP/1.1\r\nHost: selundup.paserkab.go.id\r\n\r\n';

// What request-smuggling scanners send: framing that two parsers could read two ways. Each must be refused
// before a backend sees a byte of it, whatever the backend's own parser would make of it.
const VARIANTS: Record<string, string> = {
  'two Transfer-Encoding fields': `POST / HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n`,
  'chunked not the final coding': `POST / HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`,
  'Transfer-Encoding folded onto a second line': `POST / HTTP/1.1\r\n${HOST}Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n`,
  'Content-Length with a sign': `POST / HTTP/1.1\r\n${HOST}Content-Length: +3\r\n\r\nabc`,
  'Content-Length as a list': `POST / HTTP/1.1\r\n${HOST}Content-Length: 3, 3\r\n\r\nabc`,
  'Content-Length in hex': `POST / HTTP/1.1\r\n${HOST}Content-Length: 0x3\r\n\r\nabc`,
  'Transfer-Encoding on HTTP/1.0': `POST / HTTP/1.0\r\n${HOST}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc`,
  'a NUL byte in a header value': `GET / HTTP/1.1\r\n${HOST}X-Isi: a\u0000b\r\n\r\n`,
  'a bare CR in a header value': `GET / HTTP/1.1\r\n${HOST}X-Isi: a\rb\r\n\r\n`,
  'a space before the colon of Host': `GET / HTTP/1.1\r\nHost : selundup.paserkab.go.id\r\n\r\n`,
  'chunk size with trailing junk': `POST / HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\n3x\r\nabc\r\n0\r\n\r\n`,
  'chunk data longer than its size': `POST / HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n${SMUGGLED}`,
  'an oversized chunk extension': `POST / HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\n3;${'e'.repeat(70_000)}\r\nabc\r\n0\r\n\r\n`,
  'a request line with a tab': `GET\t/ HTTP/1.1\r\n${HOST}\r\n`,
  'an unknown HTTP version': `GET / HTTP/1.2\r\n${HOST}\r\n`,
};

t.test('request-smuggling variants are refused and nothing of them reaches the backend', async (t) => {
  const { backend, gw } = await proxiedHost(t, 'selundup.paserkab.go.id');
  for (const [name, request] of Object.entries(VARIANTS)) {
    const before = backend.seen.length;
    const answer = await rawExchange(gw.gateway.ports.http, request);
    t.match(answer, /^HTTP\/1\.[01] 4\d\d /, `${name}: refused with a 4xx`);
    t.equal(backend.seen.length, before, `${name}: the backend saw nothing`);
  }
});

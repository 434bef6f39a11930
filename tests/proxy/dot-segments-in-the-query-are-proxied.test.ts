import t from 'tap';
import { rawRequest } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

// Only the path can climb out of a prefix: a query naming a relative place (a login's `next`) is the backend's business.
t.test('a query holding ../ reaches the backend untouched', async (t) => {
  const { backend, gw } = await proxiedHost(t, 'sso.paserkab.go.id');
  for (const url of ['/login?next=/a/../b', '/login?next=..%2F..%2Fetc', '/cari?q=..']) {
    const answer = await rawRequest(
      gw.gateway.ports.http,
      `GET ${url} HTTP/1.1\r\nHost: sso.paserkab.go.id\r\nConnection: close\r\n\r\n`,
    );
    t.match(answer, /^HTTP\/1\.1 200 /, url);
    t.equal(backend.seen.at(-1)?.url, url, `${url} as sent`);
  }
  t.equal(backend.seen.length, 3);
});

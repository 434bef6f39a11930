import t from 'tap';
import { rawRequest } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

function get(port: number, target: string, host: string): Promise<string> {
  return rawRequest(
    port,
    `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`,
  );
}

t.test('an absolute-form target naming another host or scheme than Host gets 400', async (t) => {
  const { backend, gw } = await proxiedHost(t, 'dinkes.paserkab.go.id');
  const port = gw.gateway.ports.http;
  for (const target of [
    'http://disdik.paserkab.go.id/x',
    'http://127.0.0.1/x',
    'https://dinkes.paserkab.go.id/x',
    'http://user@dinkes.paserkab.go.id/x',
    'ftp://dinkes.paserkab.go.id/x',
  ]) {
    const answer = await get(port, target, 'dinkes.paserkab.go.id');
    t.match(answer, /^HTTP\/1\.1 400 /, target);
    t.match(answer, /"code":"AMBIGUOUS_HOST"/, `${target} names its code`);
  }
  t.equal(backend.seen.length, 0, 'none reached the backend');
});

t.test('an absolute-form target agreeing with Host is routed on its path, sent in origin-form', async (t) => {
  const { backend, gw } = await proxiedHost(t, 'dinkes.paserkab.go.id');
  const port = gw.gateway.ports.http;
  const answer = await get(port, 'http://DINKES.paserkab.go.id:1/page?a=1', 'dinkes.paserkab.go.id');
  t.match(answer, /^HTTP\/1\.1 200 /);
  t.equal(backend.seen.at(-1)?.url, '/page?a=1');
  t.equal(backend.seen.at(-1)?.headers.host, `dinkes.paserkab.go.id:${port}`);
});

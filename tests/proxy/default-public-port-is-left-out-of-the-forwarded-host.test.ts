import t from 'tap';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

t.test('behind a NAT publishing port 80, the backend is told the bare name and port 80', async (t) => {
  const { backend, gw } = await proxiedHost(t, 'dinkes.paserkab.go.id', undefined, {
    gateway: { config: { http: { host: '127.0.0.1', port: 0, publicPort: 80 } } },
  });
  await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id:8080' });
  const seen = backend.seen.at(-1)?.headers;
  t.equal(seen?.host, 'dinkes.paserkab.go.id', 'no port for the scheme’s default, whatever the client sent');
  t.equal(seen?.['x-forwarded-host'], 'dinkes.paserkab.go.id');
  t.equal(seen?.['x-forwarded-port'], '80');
});

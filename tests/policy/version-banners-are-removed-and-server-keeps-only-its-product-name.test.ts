import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { bothListeners } from './header-kit.js';

const HOST = 'bappeda.paserkab.go.id';

t.test('X-Powered-By and the ASP.NET versions are removed, Server keeps its product name only', async (t) => {
  const { gw, put } = await proxiedHost(t, HOST, (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html',
      server:
        req.url === '/iis' ? 'Microsoft-IIS/8.5' : 'Apache/2.4.6 (CentOS) OpenSSL/1.0.2k-fips PHP/5.4.16',
      'x-powered-by': 'PHP/5.4.16',
      'x-aspnet-version': '4.0.30319',
      'x-aspnetmvc-version': '5.2',
    });
    res.end('ok');
  });
  t.equal(put.status, 201);
  for (const listener of await bothListeners(gw, [HOST])) {
    const res = await listener.get('/');
    t.equal(res.status, 200);
    t.equal(res.headers.server, 'Apache', `${listener.name}: no version, no OS, no modules`);
    t.equal(res.headers['x-powered-by'], undefined, `${listener.name}: X-Powered-By removed`);
    t.equal(res.headers['x-aspnet-version'], undefined, `${listener.name}: X-AspNet-Version removed`);
    t.equal(res.headers['x-aspnetmvc-version'], undefined, `${listener.name}: X-AspNetMvc-Version removed`);
    t.equal((await listener.get('/iis')).headers.server, 'Microsoft-IIS', `${listener.name}: IIS too`);
  }
});

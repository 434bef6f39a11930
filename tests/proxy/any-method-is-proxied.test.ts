import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('every method reaches the backend with its body untouched', async (t) => {
  const backend = await startBackend((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('x-method', req.method ?? '');
      res.setHeader('x-content-type', String(req.headers['content-type'] ?? ''));
      res.end(Buffer.concat(chunks));
    });
  });
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));

  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
    const body = `{"pasien": "${method}", "bad json`;
    const res = await http(`${gw.url}/data`, {
      method,
      host: 'dinkes.paserkab.go.id',
      headers: { 'content-type': 'application/json' },
      body,
    });
    t.equal(res.headers['x-method'], method, `${method} reached the backend`);
    t.equal(res.body, body, `${method}: the body is forwarded as bytes, never parsed`);
  }
  const form = await http(`${gw.url}/form`, {
    method: 'POST',
    host: 'dinkes.paserkab.go.id',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'a=1&b=%ZZ',
  });
  t.equal(form.body, 'a=1&b=%ZZ');
  const untyped = await http(`${gw.url}/raw`, {
    method: 'POST',
    host: 'dinkes.paserkab.go.id',
    body: 'raw bytes',
  });
  t.equal(untyped.body, 'raw bytes', 'a body without a content type passes too');
  const head = await http(`${gw.url}/`, { method: 'HEAD', host: 'dinkes.paserkab.go.id' });
  t.equal(head.headers['x-method'], 'HEAD');
});

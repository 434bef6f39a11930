import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http, rawRequest } from '../helpers/http.js';

/**
 * A GET (or HEAD) with a body is unusual but legal (RFC 9110 §9.3.1 gives it no meaning, and some APIs, search
 * engines for one, read it): the backend gets it as sent. fastify leaves such a body unread on its GET route;
 * it was dropped, and the backend waited for bytes that never came.
 */
t.test('a GET with a body reaches the backend with its body', async (t) => {
  const backend = await startBackend((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('x-length', String(req.headers['content-length'] ?? ''));
      res.end(Buffer.concat(chunks));
    });
  });
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/cari.paserkab.go.id', simpleHost(backend.origin));

  const query = '{"query":{"match":{"judul":"anggaran"}}}';
  const res = await http(`${gw.url}/_search`, {
    method: 'GET',
    host: 'cari.paserkab.go.id',
    headers: { 'content-type': 'application/json' },
    body: query,
    timeoutMs: 5000,
  });
  t.equal(res.status, 200);
  t.equal(res.body, query, 'the body as sent');
  t.equal(res.headers['x-length'], String(query.length), 'with its length');

  // Chunked, on a kept-alive connection, followed by a plain GET: the connection stays in step.
  const port = Number(new URL(gw.url).port);
  const both = await rawRequest(
    port,
    'GET /_search HTTP/1.1\r\nHost: cari.paserkab.go.id\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhalo!\r\n0\r\n\r\n' +
      'GET /lagi HTTP/1.1\r\nHost: cari.paserkab.go.id\r\nConnection: close\r\n\r\n',
  );
  t.match(
    both,
    /^HTTP\/1\.1 200[\s\S]*\r\n\r\nhalo!HTTP\/1\.1 200/,
    'the chunked body, then the next answer',
  );
});

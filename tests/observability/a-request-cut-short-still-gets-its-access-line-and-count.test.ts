import { once } from 'node:events';
import { connect } from 'node:net';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { rawGet } from '../helpers/http.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { waitFor } from '../helpers/wait-for.js';

const HOST = 'arsip.paserkab.go.id';
const CHUNK = Buffer.alloc(16 * 1024, 'arsip-');

/**
 * A client that leaves before any answer, and a response cut mid-body, leave their line in the access log and
 * their count in gerbang_requests_total, as nginx logs them (499; the status sent): before, a scanner that left
 * early left no trace at all. On the fast path (bodyless GET) and on fastify's (an upload), alike.
 */
for (const fastPaths of [true, false]) {
  t.test(`requests cut short are logged and counted (fastPaths: ${fastPaths})`, async (t) => {
    const backend = await startBackend((req, res) => {
      req.resume();
      if (req.url?.startsWith('/lambat')) return; // never answers: the client gives up first
      if (req.url?.startsWith('/putus')) {
        // Headers and part of the body, then the backend breaks off.
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(CHUNK.length * 4),
        });
        res.write(CHUNK, () => setTimeout(() => res.socket?.destroy(), 50));
        return;
      }
      res.end('ok');
    });
    const lines: Array<Record<string, unknown>> = [];
    const gw = await startTestGateway({ logLines: lines, config: { fastPaths } });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', `/v1/hosts/${HOST}`, simpleHost(backend.origin));
    const accessOf = (url: string) => lines.find((l) => l.log === 'access' && l.url === url);

    // A bodyless GET whose client leaves while the backend thinks.
    const early = await rawGet(gw.url, HOST, '/lambat/get');
    await waitFor('the GET at the backend', () => backend.seen.some((r) => r.url === '/lambat/get'));
    early.destroy();
    // An upload (always fastify's path) whose client leaves the same way.
    const upload = connect(Number(new URL(gw.url).port), '127.0.0.1');
    await once(upload, 'connect');
    upload.write(`POST /lambat/unggah HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 3\r\n\r\nabc`);
    await waitFor('the upload at the backend', () => backend.seen.some((r) => r.url === '/lambat/unggah'));
    upload.destroy();
    // A download the backend breaks off after its first part.
    const cut = await rawGet(gw.url, HOST, '/putus');
    cut.resume();
    await once(cut, 'close');

    const left = await waitFor("the GET's access line", () => accessOf('/lambat/get'));
    t.match(left, { status: 499, error: 'CLIENT_CLOSED_REQUEST', host: HOST, route: '/', method: 'GET' });
    const leftUpload = await waitFor("the upload's access line", () => accessOf('/lambat/unggah'));
    t.match(leftUpload, { status: 499, error: 'CLIENT_CLOSED_REQUEST', method: 'POST' });
    const broken = await waitFor("the cut download's access line", () => accessOf('/putus'));
    t.match(broken, { status: 200, error: 'RESPONSE_INCOMPLETE', method: 'GET' });
    t.ok((broken?.bytesOut as number) > CHUNK.length / 2, 'the bytes that did reach the client are counted');

    const samples = await scrape(gw.adminUrl);
    t.equal(sum(samples, 'gerbang_requests_total', { host: HOST, code: '4xx' }), 2, 'the two 499s counted');
    t.equal(
      sum(samples, 'gerbang_requests_total', { host: HOST, code: '2xx' }),
      1,
      'the cut download counted',
    );
    t.equal(sum(samples, 'gerbang_requests_in_flight'), 0, 'nothing left in flight');
    t.equal(lines.filter((l) => l.log === 'access').length, 3, 'one line each, none twice');
  });
}

import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { rawTargetGet } from './kit.js';

const HOST = 'arsip.paserkab.go.id';
const PROBE = '/backup.zip';

t.test(
  'a probe whose URL is a fresh cache hit is blocked once the host blocks, on both listeners',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip', 'cache-control': 'max-age=600' });
      res.end('PK-lama');
    });
    t.equal(put.status, 201);
    const ca = await createTestCa();
    t.equal((await gw.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST]))).status, 201);
    const listeners = [
      { port: gw.gateway.ports.http, options: {} },
      { port: gw.gateway.ports.https, options: { ca: ca.certificate } },
    ];
    // Detect (the default) lets it through: the backend's archive is stored, then served as a fresh hit.
    for (const { port, options } of listeners) {
      t.equal((await rawTargetGet(port, HOST, PROBE, options)).status, 200);
      const hit = await rawTargetGet(port, HOST, PROBE, options);
      t.match(hit.headers['cache-status'], /^gerbang; hit/, 'stored and served from the cache');
    }
    const seen = backend.seen.length;

    const block = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      ...simpleHost(backend.origin),
      probeFilter: { mode: 'block' },
    });
    t.equal(block.status, 200);
    for (const { port, options } of listeners) {
      const res = await rawTargetGet(port, HOST, PROBE, options);
      t.equal(res.status, 404, 'the stored archive is not served');
      t.equal(res.headers['cache-status'], undefined, 'the cache was not touched');
      t.notMatch(res.body, /PK-lama/);
    }
    t.equal(backend.seen.length, seen, 'nor the backend');
  },
);

import t from 'tap';
import { HOST, pageOf, rawFetch } from '../compression/kit.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rowOf, usageReport } from './kit.js';

const PAGE = pageOf(20_000);

t.test('what compression kept off the wire is counted as bytes saved for the host', async (t) => {
  const { gw } = await proxiedHost(t, HOST, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
    res.end(PAGE);
  });
  const gzip = await rawFetch(`${gw.url}/page`, { 'accept-encoding': 'gzip' });
  const br = await rawFetch(`${gw.url}/page`, { 'accept-encoding': 'br' });
  await rawFetch(`${gw.url}/page`, {});
  t.ok(gzip.body.length < PAGE.length && br.body.length < PAGE.length, 'both were compressed');
  await gw.gateway.usage.flush();

  const row = rowOf(await usageReport(gw), HOST);
  t.match(row, {
    requests: 3,
    bytesSavedByCompression: 2 * PAGE.length - gzip.body.length - br.body.length,
  });
  // A second flush with nothing new adds nothing.
  await gw.gateway.usage.flush();
  t.equal(rowOf(await usageReport(gw), HOST)?.bytesSavedByCompression, row?.bytesSavedByCompression);
});

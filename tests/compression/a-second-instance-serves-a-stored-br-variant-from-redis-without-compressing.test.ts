import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { twoGatewaysOnOneRedis } from '../helpers/two-gateways.js';
import { decode, HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(40 * 1024);
const RUNS = 'gerbang_compression_runs_total';

t.test(
  'an encoded variant made by one instance is stored in Redis beside its entry: another instance serves it without compressing, and a purge takes both',
  async (t) => {
    const backend = await startBackend((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=300', etag: '"v1"' });
      res.end(PAGE);
    });
    const { a, b, redisUrl } = await twoGatewaysOnOneRedis(t, HOST, backend.origin);
    const client = new Redis(redisUrl);
    t.teardown(async () => {
      client.disconnect();
      await backend.stop();
    });
    const runs = async (gw: typeof a, source: string, encoding: string) =>
      sum(await scrape(gw.adminUrl), RUNS, { host: HOST, source, encoding });
    const url = '/berita';

    await rawFetch(`${a.url}${url}`, {}); // the miss, stored identity
    const made = await rawFetch(`${a.url}${url}`, { 'accept-encoding': 'br' });
    t.equal(made.headers['content-encoding'], 'br');
    t.equal(await runs(a, 'stored', 'br'), 1, 'A made the br variant once');
    await sleep(200);
    const variantKeys = async () => (await client.keys('*')).filter((k) => k.includes('berita')).length;
    t.ok((await variantKeys()) >= 2, 'Redis holds the entry and its variant');

    const served = await rawFetch(`${b.url}${url}`, { 'accept-encoding': 'gzip, br' });
    t.equal(served.status, 200);
    t.match(served.headers['cache-status'], /hit/);
    t.equal(served.headers['content-encoding'], 'br');
    t.equal(served.headers.etag, '"v1-br"');
    t.ok(served.body.equals(made.body), 'the same br bytes A made');
    t.ok(decode(served).equals(PAGE));
    t.equal(await runs(b, 'stored', 'br'), 0, 'B ran no compressor for it');
    t.equal(await runs(b, 'stream', 'br'), 0);
    const again = await rawFetch(`${b.url}${url}`, { 'accept-encoding': 'br' });
    t.ok(again.body.equals(made.body), "B's next hit: from its own memory");
    t.equal(await runs(b, 'stored', 'br'), 0);

    // A gzip variant in Redis that was made from another body (a newer page stored since, or tampering): not served.
    const entryKey = (await client.keys('*')).find((k) => k.endsWith('/berita'));
    if (entryKey === undefined) throw new Error('the entry is in Redis');
    const foreign = Buffer.concat([Buffer.from([1]), Buffer.alloc(32), Buffer.from('not this page')]);
    await client.set(`${entryKey} gzip`, foreign, 'PX', 60_000);
    const gz = await rawFetch(`${b.url}${url}`, { 'accept-encoding': 'gzip' });
    t.equal(gz.headers['content-encoding'], 'gzip');
    t.ok(decode(gz).equals(PAGE), 'the variant of another body is never served');
    t.equal(await runs(b, 'stored', 'gzip'), 1, 'B made the gzip variant itself, once');
    await sleep(200);
    const stored = await client.getBuffer(`${entryKey} gzip`);
    t.ok(
      stored !== null && stored.length > 33 && !stored.equals(foreign),
      "and put its own in the other's place",
    );

    t.equal((await a.admin('POST', '/v1/cache/purge', { host: HOST, prefix: '/berita' })).status, 200);
    t.equal(await variantKeys(), 0, 'the purge took the entry and its variants out of Redis');
  },
);

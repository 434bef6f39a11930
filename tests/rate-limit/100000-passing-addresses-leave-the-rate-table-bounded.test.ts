import { Agent, type IncomingMessage, request, type ServerResponse } from 'node:http';
import t from 'tap';
import { DEFAULT_RATE_LIMIT_MAX_KEYS } from '../../src/config/defaults.js';
import { attackSize, rssMiB } from '../helpers/attack.js';
import { simpleHost } from '../helpers/gateway.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { liveHeapMiB, PROXY } from './kit.js';

const HOST = 'lapor.paserkab.go.id';
/** Above the cap in `npm test` already; the 100,000 under `npm run attack`. */
const ADDRESSES = attackSize(DEFAULT_RATE_LIMIT_MAX_KEYS + 5_000, 100_000);
const CONCURRENCY = 16;

/** The i-th distinct client: IPv4 from 10.0.0.0/8 and IPv6 /64s in turn (both kinds of key). */
function clientOf(i: number): string {
  return i % 2 === 0
    ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
    : `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;
}

t.test(
  `${ADDRESSES} distinct addresses through a trusted proxy leave the rate table at its cap`,
  async (t) => {
    // A page in the cache: each request is a fresh hit, the cheapest answer (and one that counts), so the flood is quick.
    const page = (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=600' });
      res.end('lapor');
    };
    const { gw, put } = await proxiedHost(t, HOST, page, {
      gateway: { config: { trustedProxies: [PROXY] } },
      // Nothing refills during the test: every address keeps its debt, so only the cap can bound the table.
      hostDoc: (origin) => ({ ...simpleHost(origin), rateLimit: { rate: '1/h', burst: 5 } }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, localAddress: PROXY });
    t.teardown(() => agent.destroy());
    const get = (client: string): Promise<number> =>
      new Promise((resolve) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/', agent, headers: { host: HOST, 'x-forwarded-for': client } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', () => resolve(0));
        req.end();
      });
    const rssBefore = rssMiB();
    const heapBefore = liveHeapMiB();
    const started = Date.now();
    let next = 0;
    let passed = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ADDRESSES) if ((await get(clientOf(next++))) === 200) passed++;
      }),
    );
    const keys = sum(await scrape(gw.adminUrl), 'gerbang_rate_limit_keys');
    const heapGrown = liveHeapMiB() - heapBefore;
    t.comment(
      `${passed} passed in ${Date.now() - started} ms; rate table ${keys} keys (cap ${DEFAULT_RATE_LIMIT_MAX_KEYS}); ` +
        `live heap +${heapGrown.toFixed(1)} MiB, RSS +${(rssMiB() - rssBefore).toFixed(1)} MiB`,
    );
    t.equal(passed, ADDRESSES, 'every new address has its burst');
    t.ok(keys <= DEFAULT_RATE_LIMIT_MAX_KEYS, `the table holds at most its cap (${keys})`);
    t.ok(keys >= DEFAULT_RATE_LIMIT_MAX_KEYS * 0.5, 'and still remembers the recent addresses');
    // 20,000 entries of ~150 bytes and their keys: a few MiB; the access-list parse cache is bounded on its own.
    t.ok(heapGrown < 32, `live heap bounded (+${heapGrown.toFixed(1)} MiB)`);
  },
);

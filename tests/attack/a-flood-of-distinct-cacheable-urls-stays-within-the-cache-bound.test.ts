import t from 'tap';
import { cacheSetup } from '../cache/kit.js';
import { attackSize } from '../helpers/attack.js';
import { metricValue } from '../helpers/wait-for.js';

const PAGE = Buffer.alloc(32 * 1024, 'c');
const MEMORY_BYTES = 4 * 1024 * 1024;
const URLS = attackSize(600, 6000);
const PARALLEL = 16;

t.test(
  'a scanner asking for thousands of distinct cacheable URLs cannot grow the cache past its byte bound',
  async (t) => {
    const s = await cacheSetup(
      (_req, res) => {
        res.writeHead(200, { 'cache-control': 'public, max-age=600', 'content-type': 'text/html' });
        res.end(PAGE);
      },
      {},
      {
        config: {
          cache: {
            memoryBytes: MEMORY_BYTES,
            maxObjectBytes: 1024 * 1024,
            redis: false,
            redisMaxObjectBytes: 0,
            redisTimeoutMs: 50,
          },
        },
      },
    );
    t.teardown(() => s.stop());

    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < URLS) {
        const i = next++;
        await s.get(`/berita?id=${i}&acak=${Math.random()}`, { discardBody: true });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));

    const stored = await metricValue(s.gw.adminUrl, 'gerbang_cache_stored_bytes');
    t.ok(stored > 0, `something is stored (${stored} bytes)`);
    t.ok(stored <= MEMORY_BYTES, `stored bytes ${stored} stay within the bound ${MEMORY_BYTES}`);
    const evicted = await metricValue(s.gw.adminUrl, 'gerbang_cache_evictions_total');
    t.ok(evicted > 0, `older entries were evicted (${evicted})`);
  },
);

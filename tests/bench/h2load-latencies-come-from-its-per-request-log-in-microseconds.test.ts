import t from 'tap';
import { parseH2load } from '../../bench/load.js';

const OUTPUT = `finished in 3.00s, 5000.33 req/s, 5.60MB/s
requests: 15001 total, 15001 started, 15001 done, 14990 succeeded, 11 failed, 0 errored, 0 timeout
status codes: 14990 2xx, 0 3xx, 11 4xx, 0 5xx
`;

t.test(
  "h2load's summary gives the rate and errors; p50/p99 come from the µs log, below 1 ms too",
  async (t) => {
    // 1,000 requests: 980 at 300 µs, 20 at 1,700 µs: p99 lands on the slow ones, p50 on the fast ones.
    const durations = [...Array.from({ length: 980 }, () => 300), ...Array.from({ length: 20 }, () => 1_700)];
    const result = parseH2load(OUTPUT, durations);
    t.equal(result.requestsPerSecond, 5000.33);
    t.equal(result.requests, 15001);
    t.equal(result.errors, 11 + 11, 'failed requests and 4xx answers both count');
    t.equal(result.p50Ms, 0.3, 'sub-millisecond resolution (autocannon rounds to whole ms)');
    t.equal(result.p99Ms, 1.7);
    t.throws(() => parseH2load('connect failed', []), /h2load output has no summary/);
  },
);

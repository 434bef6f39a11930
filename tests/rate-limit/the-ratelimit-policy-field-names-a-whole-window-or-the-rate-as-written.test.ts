import t from 'tap';
import { compileRateLimit } from '../../src/data/limits/rate-plan.js';

/**
 * RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers) is a quota `q` per window `w` whole seconds: the burst
 * and the seconds it takes to refill when that is whole, else the rate as it was written.
 */
t.test(
  'the RateLimit-Policy field: the burst per its whole refill time, else the rate as written',
  async (t) => {
    const policyOf = (rate: string, burst?: number) =>
      compileRateLimit(
        'sipd.paserkab.go.id',
        { rate, ...(burst === undefined ? {} : { burst }) },
        'h',
        '/rateLimit',
      )?.policyField;
    t.equal(policyOf('10/s', 20), '"default";q=20;w=2', '10/s burst 20 refills in 2 s');
    t.equal(policyOf('1/s', 2), '"default";q=2;w=2', '1/s burst 2 refills in 2 s');
    t.equal(policyOf('5/s', 2), '"default";q=5;w=1', '5/s burst 2 refills in 0.4 s: the rate as written');
    t.equal(policyOf('7/s', 10), '"default";q=7;w=1', '7/s burst 10 refills in 10/7 s: the rate as written');
    t.equal(policyOf('1/m', 3), '"default";q=3;w=180', '1/m burst 3 refills in 180 s');
    t.equal(policyOf('60/m'), '"default";q=60;w=60', 'no burst: the rate itself, refilling in a minute');
  },
);

import t from 'tap';
import { resolveAuditConfig } from '../../src/config/audit-config.js';
import { DEFAULT_AUTH_FAILURE_LIMIT } from '../../src/config/defaults.js';
import { startTestGateway } from '../helpers/gateway.js';
import { waitFor } from '../helpers/wait-for.js';
import { agencyWithToken } from './kit.js';

interface Entry {
  action: string;
  target: string;
  tokenId: string;
  agency: string | null;
  ip: string;
  count?: number;
  after: { status: number; code: string } | null;
}

const WINDOW_MS = 1_500;

t.test(
  'failed authentications and 403s are audited, one entry per address and reason with a count',
  async (t) => {
    const gw = await startTestGateway({
      config: { audit: resolveAuditConfig({ refusalWindowMs: WINDOW_MS }) },
    });
    t.teardown(() => gw.stop());
    const token = await agencyWithToken(gw, 'dinkes', ['dinkes.paserkab.go.id']);
    const failures = DEFAULT_AUTH_FAILURE_LIMIT + 15;
    for (let i = 0; i < failures; i++) await gw.admin('GET', '/v1/hosts', undefined, `wrong-${i}`);
    for (let i = 0; i < 3; i++) {
      const res = await gw.admin('PUT', '/v1/agencies/disdik', { name: 'x', contact: 'y', owns: [] }, token);
      t.equal(res.status, 403, 'an agency token may not make agencies');
    }
    const refusals = async (): Promise<Entry[]> =>
      ((await gw.admin('GET', '/v1/audit')).body as { entries: Entry[] }).entries.filter((e) =>
        e.action.endsWith('.refused'),
      );

    const early = await refusals();
    t.ok(
      early.some((e) => e.after?.code === 'UNAUTHORIZED'),
      'the first failure is in the log at once, before its window closes',
    );
    const done = await waitFor(
      'the windows to close with their counts',
      async () => {
        const all = await refusals();
        const counts = all.map((e) => e.count ?? 0).reduce((a, b) => a + b, 0);
        return counts === failures + 3 ? all : undefined;
      },
      10_000,
    );
    const byCode = new Map(done.map((e) => [e.after?.code, e]));
    t.equal(done.length, 3, 'three entries for all the refusals: 401s, 429s, 403s');
    t.match(byCode.get('UNAUTHORIZED'), {
      action: 'auth.refused',
      ip: '127.0.0.1',
      count: DEFAULT_AUTH_FAILURE_LIMIT,
      target: 'GET /v1/hosts',
      agency: null,
    });
    t.match(byCode.get('TOO_MANY_REQUESTS'), { action: 'auth.refused', count: 15, after: { status: 429 } });
    t.match(byCode.get('FORBIDDEN'), {
      action: 'access.refused',
      count: 3,
      agency: 'dinkes',
      target: 'PUT /v1/agencies/disdik',
    });
    t.notOk(JSON.stringify(done).includes('wrong-'), 'the wrong secrets are not kept');

    const own = await gw.admin('GET', '/v1/audit', undefined, token);
    t.ok(
      (own.body as { entries: Entry[] }).entries.some((e) => e.action === 'access.refused'),
      'the agency sees its own refused attempts',
    );
  },
);

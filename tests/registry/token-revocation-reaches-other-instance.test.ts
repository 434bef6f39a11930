import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis-server.js';
import { agencyWithToken } from './kit.js';

t.test(
  'a token revoked on one instance is refused by another on the same Redis within a second',
  async (t) => {
    const redis = await startRedis();
    const a = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    const b = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    t.teardown(async () => {
      await a.stop();
      await b.stop();
      await redis.stop();
    });

    const secret = await agencyWithToken(a, 'dinkes', ['dinkes.paserkab.go.id']);
    // The other instance learns of the new token from the change feed.
    let status = 0;
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      status = (await b.admin('GET', '/v1/hosts', undefined, secret)).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    t.equal(status, 200, 'instance b accepts a token issued on instance a');

    const id = (
      (await a.admin('GET', '/v1/tokens')).body as { tokens: Array<{ id: string; scope: string }> }
    ).tokens.find((tok) => tok.scope === 'agency:dinkes')?.id;
    t.ok(id);
    const revokedAt = Date.now();
    t.equal((await a.admin('DELETE', `/v1/tokens/${id}`)).status, 204);
    t.equal(
      (await a.admin('GET', '/v1/hosts', undefined, secret)).status,
      401,
      'refused at once where it was revoked',
    );
    let refusedAfter = Number.POSITIVE_INFINITY;
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      if ((await b.admin('GET', '/v1/hosts', undefined, secret)).status === 401) {
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    t.comment(`revocation reached instance b after ${refusedAfter} ms`);
    t.ok(refusedAfter < 1_000, `instance b refuses it within a second (${refusedAfter} ms)`);
  },
);

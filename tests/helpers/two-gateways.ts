/** Two gateways on one fresh redis-server, a host registered through the first and routed by both: the opening of every cross-instance cache test. */
import type { Test } from 'tap';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway.js';
import { http } from './http.js';
import { startRedis } from './redis-server.js';
import { waitFor } from './wait-for.js';

export interface TwoGateways {
  /** The redis-server both use (for a test's own client). */
  redisUrl: string;
  a: TestGateway;
  b: TestGateway;
}

/**
 * `host` gets one route `/` onto `origin`, registered through A (201 checked); B has routed it (a probe answered
 * 200) before this returns. Both gateways and the redis-server are stopped at teardown; `options` go to both.
 */
export async function twoGatewaysOnOneRedis(
  t: Test,
  host: string,
  origin: string,
  options: TestGatewayOptions = {},
): Promise<TwoGateways> {
  const redis = await startRedis();
  const on = { ...options, env: { ...options.env, GERBANG_REDIS_URL: redis.url } };
  const a = await startTestGateway(on);
  const b = await startTestGateway(on);
  t.teardown(async () => {
    await a.stop();
    await b.stop();
    await redis.stop();
  });
  const put = await a.admin('PUT', `/v1/hosts/${host}`, { routes: [{ path: '/', targets: [origin] }] });
  t.equal(put.status, 201, `${host} registered through the first instance`);
  await waitFor(
    'the second instance to route the host',
    async () => (await http(`${b.url}/probe`, { host })).status === 200,
    10_000,
    20,
  );
  return { redisUrl: redis.url, a, b };
}

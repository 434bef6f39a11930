/** Shared steps of the registry tests: agencies with tokens on a test gateway, on the embedded store or a real Redis. */

import { toHostDoc } from '../../src/control/host-service.js';
import { encodeHost } from '../../src/model/stored-host.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis-server.js';

export type StoreKind = 'embedded' | 'redis';
export const STORE_KINDS: readonly StoreKind[] = ['embedded', 'redis'];

/** A gateway on the given store; stop() stops Redis too. */
export async function gatewayOn(kind: StoreKind, options: TestGatewayOptions = {}): Promise<TestGateway> {
  if (kind === 'embedded') return startTestGateway(options);
  const redis = await startRedis();
  const gw = await startTestGateway({ ...options, env: { ...options.env, GERBANG_REDIS_URL: redis.url } });
  return {
    ...gw,
    gateway: gw.gateway,
    async stop() {
      await gw.stop();
      await redis.stop();
    },
  };
}

/** Creates an agency owning `owns` and returns a fresh token secret of it. */
export async function agencyWithToken(gw: TestGateway, id: string, owns: string[]): Promise<string> {
  const put = await gw.admin('PUT', `/v1/agencies/${id}`, {
    name: `Dinas ${id}`,
    contact: `${id}@paserkab.go.id`,
    owns,
  });
  if (put.status !== 201 && put.status !== 200)
    throw new Error(`agency ${id}: ${put.status} ${JSON.stringify(put.body)}`);
  const token = await gw.admin('POST', '/v1/tokens', { scope: `agency:${id}`, note: `test token of ${id}` });
  if (token.status !== 201) throw new Error(`token ${id}: ${token.status} ${JSON.stringify(token.body)}`);
  return (token.body as { secret: string }).secret;
}

export function codeOf(body: unknown): string | undefined {
  return (body as { error?: { code?: string } } | undefined)?.error?.code;
}

/**
 * Writes a host straight into the store, as a host registered before the policy refused its target would be
 * (an older version, a wider `backends.allow` then): only the connect-time check stands in its way.
 */
export async function storeHostUnchecked(gw: TestGateway, host: string, targets: string[]): Promise<void> {
  const doc = toHostDoc(host, { routes: [{ path: '/', targets }] }, gw.gateway.config.zones);
  await gw.gateway.store.put('hosts', doc.host, encodeHost(doc));
  gw.gateway.publisher.applyLocal(doc.host, doc);
}

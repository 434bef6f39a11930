/** The opening most proxy tests share: a real backend, a gateway in front of it, one host routed onto it, both stopped when the test ends. */
import type { Test } from 'tap';
import { type Backend, type Handler, startBackend } from './backend.js';
import { simpleHost, startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway.js';

export interface ProxiedHost {
  backend: Backend;
  gw: TestGateway;
  /** The admin API's answer to registering the host (201 when it took). */
  put: { status: number; body: unknown };
}

export interface ProxiedHostOptions {
  gateway?: TestGatewayOptions;
  /** The host document for the backend's origin; default: one route `/` onto it. */
  hostDoc?: (origin: string) => unknown;
}

/** One route `/` onto the backend with the cache off: what the raw proxied front takes (proxied-front.ts). */
export const uncachedHost = (origin: string) => simpleHost(origin, { cache: { enabled: false } });

export async function proxiedHost(
  t: Test,
  host: string,
  handler?: Handler,
  options: ProxiedHostOptions = {},
): Promise<ProxiedHost> {
  const backend = await startBackend(handler);
  const gw = await startTestGateway(options.gateway);
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  const doc = options.hostDoc ? options.hostDoc(backend.origin) : simpleHost(backend.origin);
  const put = await gw.admin('PUT', `/v1/hosts/${host}`, doc);
  return { backend, gw, put };
}

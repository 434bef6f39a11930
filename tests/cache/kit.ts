/** Shared bits of the cache tests: a real backend answering per path, a gateway with one caching host, and a GET helper. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Backend, startBackend } from '../helpers/backend.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../helpers/gateway.js';
import { type HttpOptions, type HttpResponse, http } from '../helpers/http.js';

export const HOST = 'portal.paserkab.go.id';

export interface CacheSetup {
  backend: Backend;
  gw: TestGateway;
  /** Requests the backend saw for `path` (path and query). */
  hits(path: string): number;
  get(path: string, options?: HttpOptions): Promise<HttpResponse>;
  stop(): Promise<void>;
}

export type Reply = (req: IncomingMessage, res: ServerResponse) => void;

/** Starts a backend with `reply`, a gateway and registers HOST onto the backend (plus `hostExtra` fields). */
export async function cacheSetup(
  reply: Reply,
  hostExtra: Record<string, unknown> = {},
  gatewayOptions: TestGatewayOptions = {},
): Promise<CacheSetup> {
  const backend = await startBackend(reply);
  const gw = await startTestGateway(gatewayOptions);
  const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
    routes: [{ path: '/', targets: [backend.origin] }],
    ...hostExtra,
  });
  if (put.status !== 201) {
    await gw.stop();
    await backend.stop();
    throw new Error(`host registration failed: ${JSON.stringify(put.body)}`);
  }
  return {
    backend,
    gw,
    hits: (path) => backend.seen.filter((s) => s.url === path).length,
    get: (path, options = {}) => http(`${gw.url}${path}`, { host: HOST, ...options }),
    async stop() {
      await gw.stop();
      await backend.stop();
    },
  };
}

/** A body of `size` bytes that names the request count, so a refetch is visible. */
export function bodyOf(label: string, size = 0): string {
  return label.padEnd(size, '.');
}

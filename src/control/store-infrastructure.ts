/** The configured Redis (or its Sentinels) as infrastructure no target may reach: by name and by every address the name has at start. */
import { isIP } from 'node:net';
import { DEFAULT_TARGET_RESOLVE_TIMEOUT_MS } from '../config/defaults.js';
import type { OwnListener, ResolveAll } from '../model/target-policy.js';
import type { Logger } from '../observability/logger.js';
import { connectionOptions } from '../store/redis-store.js';

/** `host:port` of every server the URL names (the Redis itself, or each Sentinel). */
export function redisEndpoints(url: string): OwnListener[] {
  const options = connectionOptions(url);
  if (options.sentinels) {
    return options.sentinels.map((s) => ({ host: s.host ?? '127.0.0.1', port: s.port ?? 26379 }));
  }
  return [{ host: options.host ?? '127.0.0.1', port: options.port ?? 6379 }];
}

/** The endpoints with the addresses their names resolve to now; a name that does not resolve stays as a name. */
export async function storeInfrastructure(
  url: string,
  resolve: ResolveAll,
  logger: Logger,
): Promise<OwnListener[]> {
  const out: OwnListener[] = [];
  for (const endpoint of redisEndpoints(url)) {
    out.push(endpoint);
    if (isIP(endpoint.host) !== 0) continue;
    let timer: NodeJS.Timeout | undefined;
    try {
      const addresses = await Promise.race([
        resolve(endpoint.host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer')), DEFAULT_TARGET_RESOLVE_TIMEOUT_MS);
        }),
      ]);
      for (const { address } of addresses) out.push({ host: address, port: endpoint.port });
    } catch (err) {
      logger.warn(
        { host: endpoint.host, err: (err as Error).message },
        'the store address does not resolve; targets are refused by its name only',
      );
    } finally {
      clearTimeout(timer);
    }
  }
  return out;
}

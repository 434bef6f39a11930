/** An undici connector that refuses forbidden backend addresses at connect time: the SSRF check a later DNS answer cannot dodge. */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import type { TargetPolicy } from '../../model/target-policy.js';

/** The error a refused connection fails with; `upstream-errors` files it under `other` → 502. */
export class ForbiddenTargetError extends Error {
  readonly code = 'EGERBANG_TARGET_FORBIDDEN';
}

/** dns.lookup, then every address judged by the policy: one forbidden address refuses the name. */
export function guardedLookup(policy: TargetPolicy, port: () => number): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    const refused = policy.nameRefusal(hostname, port());
    if (refused) {
      callback(new ForbiddenTargetError(refused));
      return;
    }
    const resolve = (done: (err: Error | null, addresses: LookupAddress[]) => void): void => {
      policy.resolveAll(hostname).then(
        (addresses) => done(null, addresses),
        (err: Error) => done(err, []),
      );
    };
    resolve((err, addresses) => {
      if (err) return callback(err);
      for (const { address } of addresses) {
        const why = policy.refusal(address, port());
        if (why) return callback(new ForbiddenTargetError(`${hostname} resolves to ${address}: ${why}`));
      }
      const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
      const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
      if (usable.length === 0) {
        const e = Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' });
        return callback(e);
      }
      if (options.all) return callback(null, usable);
      const first = usable[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  }) as unknown as LookupFunction;
}

export type Connector = buildConnector.connector;

/** A connector for one pool: literal addresses are judged directly, names through the guarded lookup. */
export function guardedConnector(policy: TargetPolicy, options: { timeout?: number } = {}): Connector {
  // A pool has one origin, so one port: the lookup (which does not get the port) reads the last one seen.
  let currentPort = 0;
  const base = buildConnector({
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    lookup: guardedLookup(policy, () => currentPort),
  } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const hostname = opts.hostname.startsWith('[') ? opts.hostname.slice(1, -1) : opts.hostname;
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    if (isIP(hostname) !== 0) {
      const why = policy.refusal(hostname, port);
      if (why) {
        callback(new ForbiddenTargetError(`${hostname}:${port}: ${why}`), null);
        return;
      }
    }
    currentPort = port;
    base(opts, callback);
  };
}

/** Hosts declared in the config file, checked by the same rules as the admin API (host document, then every target against the backend policy). */
import { GerbangError } from '../errors.js';
import type { HostDoc } from '../model/host-schema.js';
import type { TargetPolicy } from '../model/target-policy.js';
import { parseTarget } from '../model/target-url.js';
import { toHostDoc } from './host-service.js';

/** The config file's hosts as documents; throws CONFIG_INVALID naming the file, the entry and its host. */
export async function checkedConfigHosts(
  hosts: ReadonlyArray<{ host: string }> | undefined,
  options: {
    path: string | undefined;
    zones: readonly string[];
    policy: TargetPolicy;
    /** A target name that does not resolve now: kept (every connection checks it again), and reported here. */
    onUnresolved: (where: string, message: string) => void;
  },
): Promise<HostDoc[]> {
  const file = options.path ?? 'config';
  const docs: HostDoc[] = [];
  for (const [i, entry] of (hosts ?? []).entries()) {
    const where = `${file} /hosts/${i} (${entry.host})`;
    let doc: HostDoc;
    try {
      doc = toHostDoc(entry.host, entry, options.zones);
    } catch (err) {
      throw new GerbangError('CONFIG_INVALID', `${where}: ${(err as Error).message}`, { field: where });
    }
    for (const [r, route] of doc.routes.entries()) {
      for (const [j, target] of route.targets.entries()) {
        const field = `/routes/${r}/targets/${j}`;
        const parsed = parseTarget(target, field);
        try {
          await options.policy.check(parsed, field);
        } catch (err) {
          // After parseTarget, INVALID_TARGET means only "does not resolve": a DNS hiccup must not stop a start.
          if (err instanceof GerbangError && err.code === 'INVALID_TARGET') {
            options.onUnresolved(`${where}${field}`, err.message);
            continue;
          }
          const code = err instanceof GerbangError ? ` (${err.code})` : '';
          throw new GerbangError(
            'CONFIG_INVALID',
            `${where} target "${target}"${code}: ${(err as Error).message}`,
            { field: `${where}${field}` },
          );
        }
      }
    }
    docs.push(doc);
  }
  return docs;
}

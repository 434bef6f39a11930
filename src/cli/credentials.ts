/** Which token the CLI sends: --token, then GERBANG_TOKEN, then (on the gateway's own machine) the admin token in its state directory. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DEFAULT_STATE_DIR = './data';
const ADMIN_TOKEN_FILE = 'admin-token';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface TokenSource {
  token: string | undefined;
  /** Where it came from, for the hint on a 401. */
  from: 'flag' | 'env' | 'state-dir' | 'none';
}

/**
 * The state directory's token is read only when the API is on this machine (a loopback URL): it is the
 * operator's bootstrap admin secret, never to be sent anywhere else.
 */
export function resolveToken(
  flagToken: string | undefined,
  env: NodeJS.ProcessEnv,
  apiUrl: URL,
): TokenSource {
  if (flagToken) return { token: flagToken, from: 'flag' };
  if (env.GERBANG_TOKEN) return { token: env.GERBANG_TOKEN, from: 'env' };
  if (!LOOPBACK_HOSTS.has(apiUrl.hostname)) return { token: undefined, from: 'none' };
  try {
    const file = join(env.GERBANG_STATE_DIR ?? DEFAULT_STATE_DIR, ADMIN_TOKEN_FILE);
    const token = readFileSync(file, 'utf8').trim();
    return token ? { token, from: 'state-dir' } : { token: undefined, from: 'none' };
  } catch {
    return { token: undefined, from: 'none' };
  }
}

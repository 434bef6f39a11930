/** `Upgrade: h2c` (what `curl --http2 http://…` sends) is ignored, as nginx does: the request is answered over HTTP/1.1, the upgrade fields stripped as hop-by-hop. */
import type { IncomingMessage } from 'node:http';

/**
 * Node's shouldUpgradeCallback: false sends the request down the ordinary request path instead of 'upgrade'.
 * Only an upgrade to h2c alone is ignored; WebSocket and every other protocol still reach the upgrade proxy,
 * which refuses what it does not tunnel.
 */
export function takesUpgrade(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade;
  if (upgrade === undefined) return true;
  for (const token of upgrade.split(',')) if (token.trim().toLowerCase() !== 'h2c') return true;
  return false;
}

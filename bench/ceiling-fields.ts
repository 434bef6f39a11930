/** What the Node ceilings (node-http-undici, node-tls-undici) share: the hop-by-hop fields they drop, their pool size. */

/** As many pooled upstream connections as the load has client connections, as the other peers get. */
export const UPSTREAM_CONNECTIONS = 64;

/** Never passed on, either way (HTTP/2 also refuses them on a response). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
]);

/** What the Node ceilings (node-http-undici, node-tls-undici) share: the hop-by-hop fields they drop, their pool size. */
import { HOP_BY_HOP as HOP_BY_HOP_FIELDS } from '../src/data/proxy/hop-by-hop.js';

/** As many pooled upstream connections as the load has client connections, as the other peers get. */
export const UPSTREAM_CONNECTIONS = 64;

/** Never passed on, either way (HTTP/2 also refuses them on a response): RFC 9110's list, Gerbang's own, and proxy credentials. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  ...HOP_BY_HOP_FIELDS,
  'proxy-authorization',
  'proxy-authenticate',
]);

/** Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded in either direction. */

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

type Headers = Record<string, unknown>;

/** Removes hop-by-hop headers and every header the Connection header names. */
export function stripHopByHop(headers: Headers): void {
  const connection = headers.connection;
  if (typeof connection === 'string') {
    for (const name of connection.split(',')) {
      const key = name.trim().toLowerCase();
      if (key) delete headers[key];
    }
  }
  for (let i = 0; i < HOP_BY_HOP.length; i++) {
    const name = HOP_BY_HOP[i] as string;
    if (headers[name] !== undefined) delete headers[name];
  }
}

/** Shared bits of the policy tests: a GET that sends its target raw (no URL parser normalises a probe away) over either listener. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawGetOptions {
  headers?: Record<string, string>;
  localAddress?: string;
  /** HTTPS with SNI = host, trusting only this CA. */
  ca?: string;
}

/** GET `target` as written on 127.0.0.1:`port` with Host `host`. */
export function rawTargetGet(
  port: number,
  host: string,
  target: string,
  options: RawGetOptions = {},
): Promise<RawResponse> {
  const tls = options.ca !== undefined;
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(
      {
        host: '127.0.0.1',
        port,
        path: target,
        headers: { host, ...options.headers },
        agent: false,
        timeout: 10_000,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(tls ? { servername: host, ca: options.ca, rejectUnauthorized: true } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end();
  });
}

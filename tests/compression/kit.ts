/** Shared bits of the compression tests: a backend serving a compressible page, a gateway in front, raw-byte GETs and the decoders. */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync, zstdDecompressSync } from 'node:zlib';

export const HOST = 'portal.paserkab.go.id';

/** A page that compresses well and is larger than the threshold: repeated, but not trivially. */
export function pageOf(bytes: number): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `<p class="pengumuman">Pengumuman nomor ${i} dari Dinas Kesehatan Kabupaten Paser.</p>\n`;
    parts.push(line);
    size += line.length;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as it came on the wire (still encoded). */
  body: Buffer;
}

/** A GET (or other method) whose body is kept as sent: Node's client never decodes. */
export function rawFetch(
  url: string,
  headers: Record<string, string>,
  method = 'GET',
  host = HOST,
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: { host, ...headers },
        agent: false,
        timeout: 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** The body decoded as its Content-Encoding says. */
export function decode(res: RawResponse): Buffer {
  switch (res.headers['content-encoding']) {
    case 'br':
      return brotliDecompressSync(res.body);
    case 'zstd':
      return zstdDecompressSync(res.body);
    case 'gzip':
      return gunzipSync(res.body);
    default:
      return res.body;
  }
}

/**
 * Random letters and spaces (about 0.6 of its size under br): a download that compresses like dense text,
 * without the runs and repeats that a compressor turns into nothing.
 */
export function wordsOf(bytes: number): Buffer {
  const out = randomBytes(bytes);
  for (let i = 0; i < bytes; i++) {
    const r = out[i] as number;
    out[i] = r % 7 === 0 ? 32 : 97 + (r % 26);
  }
  return out;
}

/**
 * The beginning of a page the backend compressed, decoded on the checks' thread: at most `maxBytes` in (the copy)
 * and out (a bomb stops at the cap), a cut stream decoded as far as it goes.
 */
import type { Transform } from 'node:stream';
import {
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createZstdDecompress,
} from 'node:zlib';

/** Codings the checks decode; anything else (several codings, `compress`) is skipped and counted. */
export type PageCoding = 'gzip' | 'deflate' | 'br' | 'zstd';

/** The coding of a `Content-Encoding` value the checks can decode, 'identity', or undefined for one they cannot. */
export function pageCodingOf(value: unknown): PageCoding | 'identity' | undefined {
  if (value === undefined || value === '') return 'identity';
  if (typeof value !== 'string') return undefined;
  const coding = value.trim().toLowerCase();
  if (coding === 'identity') return 'identity';
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  if (coding === 'deflate' || coding === 'br') return coding;
  if (coding === 'zstd') return 'zstd';
  return undefined;
}

function decoderOf(coding: PageCoding): Transform {
  switch (coding) {
    case 'gzip':
      return createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
    case 'deflate':
      return createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    case 'br':
      return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH });
    case 'zstd':
      return createZstdDecompress();
  }
}

/** The decoded beginning of `input`, at most `maxBytes`; a stream cut short gives what decodes before the cut. */
export function decodePage(input: Buffer, coding: PageCoding, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const decoder = decoderOf(coding);
    const out: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      decoder.destroy();
      resolve(Buffer.concat(out).subarray(0, maxBytes));
    };
    decoder.on('data', (chunk: Buffer) => {
      out.push(chunk);
      bytes += chunk.length;
      if (bytes >= maxBytes) finish();
    });
    decoder.on('end', finish);
    // A cut or broken stream: what came out before it is the page's beginning.
    decoder.on('error', finish);
    decoder.end(input);
  });
}

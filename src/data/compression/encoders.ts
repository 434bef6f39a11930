/** node:zlib encoders for each coding at the plan's level: a stream for bodies on their way, a one-shot (off the event loop) for stored ones. */
import type { Transform } from 'node:stream';
import {
  brotliCompress,
  constants,
  createBrotliCompress,
  createGzip,
  createZstdCompress,
  gzip,
  type Zlib,
  zstdCompress,
} from 'node:zlib';
import { DEFAULT_COMPRESSION_BROTLI_WINDOW_BITS } from '../../config/defaults.js';
import type { Encoding } from './negotiate.js';

/** The level of each coding, as compiled for a route. */
export interface Levels {
  readonly gzip: number;
  readonly br: number;
  readonly zstd: number;
}

function brotliOptions(level: number, sizeHint: number | undefined) {
  const params: Record<number, number> = {
    [constants.BROTLI_PARAM_QUALITY]: level,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_LGWIN]: DEFAULT_COMPRESSION_BROTLI_WINDOW_BITS,
  };
  if (sizeHint !== undefined && sizeHint > 0) params[constants.BROTLI_PARAM_SIZE_HINT] = sizeHint;
  return { params };
}

/** No pledged size: a backend whose body differs from its Content-Length would make zstd fail mid-stream. */
function zstdOptions(level: number) {
  return { params: { [constants.ZSTD_c_compressionLevel]: level } };
}

/** A compressing Transform; `sizeHint` is the announced length, when there is one (brotli and zstd size their tables by it). */
export function createEncoder(encoding: Encoding, levels: Levels, sizeHint?: number): Transform & Zlib {
  switch (encoding) {
    case 'br':
      return createBrotliCompress(brotliOptions(levels.br, sizeHint));
    case 'zstd':
      return createZstdCompress(zstdOptions(levels.zstd));
    case 'gzip':
      return createGzip({ level: levels.gzip });
  }
}

/** Compresses a whole stored body on the libuv thread pool: a hit that needs a new variant does not block others. */
export function encodeBody(
  encoding: Encoding,
  levels: Levels,
  body: Buffer,
  done: (err: Error | null, out: Buffer) => void,
): void {
  switch (encoding) {
    case 'br':
      brotliCompress(body, brotliOptions(levels.br, body.length), done);
      return;
    case 'zstd':
      zstdCompress(body, zstdOptions(levels.zstd), done);
      return;
    case 'gzip':
      gzip(body, { level: levels.gzip }, done);
      return;
  }
}

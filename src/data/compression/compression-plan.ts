/** Decides at snapshot compile time whether a route compresses and at which levels: the request path only reads the result. */
import {
  DEFAULT_COMPRESSION_BROTLI_LEVEL,
  DEFAULT_COMPRESSION_ENABLED,
  DEFAULT_COMPRESSION_GZIP_LEVEL,
  DEFAULT_COMPRESSION_MIN_BYTES,
  DEFAULT_COMPRESSION_ZSTD_LEVEL,
} from '../../config/defaults.js';
import type { HostDoc, Route } from '../../model/host-schema.js';
import type { Levels } from './encoders.js';

export interface CompressionPlan {
  readonly minBytes: number;
  readonly levels: Levels;
}

/** undefined when compression is off for the route; each field of the route's settings wins over the host's. */
export function compileCompression(host: HostDoc, route: Route): CompressionPlan | undefined {
  const r = route.compression;
  const h = host.compression;
  if (!(r?.enabled ?? h?.enabled ?? DEFAULT_COMPRESSION_ENABLED)) return undefined;
  return {
    minBytes: r?.minBytes ?? h?.minBytes ?? DEFAULT_COMPRESSION_MIN_BYTES,
    levels: {
      gzip: r?.gzipLevel ?? h?.gzipLevel ?? DEFAULT_COMPRESSION_GZIP_LEVEL,
      br: r?.brotliLevel ?? h?.brotliLevel ?? DEFAULT_COMPRESSION_BROTLI_LEVEL,
      zstd: r?.zstdLevel ?? h?.zstdLevel ?? DEFAULT_COMPRESSION_ZSTD_LEVEL,
    },
  };
}

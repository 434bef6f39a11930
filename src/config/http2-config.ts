/** Resolves the static `http2:` section: every limit defaulted from its DEFAULT_H2_* constant. */
import {
  DEFAULT_H2_IDLE_TIMEOUT_MS,
  DEFAULT_H2_INITIAL_CONNECTION_WINDOW_BYTES,
  DEFAULT_H2_INITIAL_STREAM_WINDOW_BYTES,
  DEFAULT_H2_MAX_CLIENT_RESETS,
  DEFAULT_H2_MAX_CONCURRENT_STREAMS,
  DEFAULT_H2_MAX_HEADER_LIST_BYTES,
} from './defaults.js';
import type { ConfigFile, Http2Config } from './schema.js';

export function resolveHttp2Config(
  file: ConfigFile['http2'] | Partial<Http2Config> | undefined,
): Http2Config {
  return {
    enabled: file?.enabled ?? true,
    maxConcurrentStreams: file?.maxConcurrentStreams ?? DEFAULT_H2_MAX_CONCURRENT_STREAMS,
    initialStreamWindowBytes: file?.initialStreamWindowBytes ?? DEFAULT_H2_INITIAL_STREAM_WINDOW_BYTES,
    initialConnectionWindowBytes:
      file?.initialConnectionWindowBytes ?? DEFAULT_H2_INITIAL_CONNECTION_WINDOW_BYTES,
    maxHeaderListBytes: file?.maxHeaderListBytes ?? DEFAULT_H2_MAX_HEADER_LIST_BYTES,
    idleTimeoutMs: file?.idleTimeoutMs ?? DEFAULT_H2_IDLE_TIMEOUT_MS,
    maxClientResets: file?.maxClientResets ?? DEFAULT_H2_MAX_CLIENT_RESETS,
  };
}

/** Resolves the resource caps of `limits:` (connections per address, first byte, request bodies, backend share): every field defaulted, the pairs that must agree checked. */
import { configError } from '../errors.js';
import {
  DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  DEFAULT_MAX_BACKEND_REQUESTS_PER_CLIENT,
  DEFAULT_MAX_COMPRESSING_RESPONSES,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_REQUEST_BODY_GRACE_MS,
  DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS,
  DEFAULT_REQUEST_BODY_MIN_BYTES_PER_S,
  DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_UPSTREAM_CONNECTIONS,
} from './defaults.js';
import type { ConfigFile, GatewayConfig } from './schema.js';

export type ResourceLimits = Pick<
  GatewayConfig['limits'],
  | 'firstByteTimeoutMs'
  | 'tlsHandshakeTimeoutMs'
  | 'maxConnectionsPerAddress'
  | 'requestBodyIdleTimeoutMs'
  | 'requestBodyMinBytesPerS'
  | 'requestBodyGraceMs'
  | 'backendConnections'
  | 'maxBackendRequestsPerClient'
  | 'maxCompressingResponses'
>;

export function resolveResourceLimits(file: ConfigFile['limits']): ResourceLimits {
  const limits: ResourceLimits = {
    firstByteTimeoutMs: file?.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS,
    tlsHandshakeTimeoutMs: file?.tlsHandshakeTimeoutMs ?? DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
    maxConnectionsPerAddress: file?.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    requestBodyIdleTimeoutMs: file?.requestBodyIdleTimeoutMs ?? DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS,
    requestBodyMinBytesPerS: file?.requestBodyMinBytesPerS ?? DEFAULT_REQUEST_BODY_MIN_BYTES_PER_S,
    requestBodyGraceMs: file?.requestBodyGraceMs ?? DEFAULT_REQUEST_BODY_GRACE_MS,
    backendConnections: file?.backendConnections ?? DEFAULT_UPSTREAM_CONNECTIONS,
    maxBackendRequestsPerClient: file?.maxBackendRequestsPerClient ?? DEFAULT_MAX_BACKEND_REQUESTS_PER_CLIENT,
    maxCompressingResponses: file?.maxCompressingResponses ?? DEFAULT_MAX_COMPRESSING_RESPONSES,
  };
  // A cap as large as the pool would let one address hold every connection of a backend.
  if (limits.maxBackendRequestsPerClient >= limits.backendConnections)
    throw configError(
      'limits.maxBackendRequestsPerClient',
      `must be less than limits.backendConnections (${limits.backendConnections})`,
    );
  return limits;
}

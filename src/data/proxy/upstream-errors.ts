/** Classifies what went wrong talking to a backend: the status the citizen sees and the reason operators count. */
import type { ErrorCode } from '../../errors.js';
import {
  BACKEND_CLIENT_LIMIT_CODE,
  CLIENT_ABORTED_CODE,
  REQUEST_BODY_TIMEOUT_CODE,
} from '../limits/client-fault.js';

/** `client`: the exchange ended by the client's doing (a cut or abandoned body, its cap): never held against the target. */
export type UpstreamFailure = 'refused' | 'timeout' | 'reset' | 'tls' | 'dns' | 'client' | 'other';

export interface ClassifiedError {
  reason: UpstreamFailure;
  code: ErrorCode;
}

interface CodedError {
  code?: unknown;
  cause?: unknown;
}

function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as CodedError).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as CodedError).cause;
  }
  return codes;
}

export function classifyUpstreamError(err: unknown): ClassifiedError {
  const codes = codesOf(err);
  const has = (...names: string[]) => codes.some((c) => names.includes(c));
  // First: a cut body also ends the upstream socket, which would read as a reset.
  if (has(REQUEST_BODY_TIMEOUT_CODE)) return { reason: 'client', code: 'REQUEST_BODY_TIMEOUT' };
  if (has(BACKEND_CLIENT_LIMIT_CODE)) return { reason: 'client', code: 'BACKEND_CLIENT_LIMIT' };
  if (has(CLIENT_ABORTED_CODE)) return { reason: 'client', code: 'BAD_REQUEST' };
  if (has('ECONNREFUSED')) return { reason: 'refused', code: 'BAD_GATEWAY' };
  if (has('UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'))
    return { reason: 'timeout', code: 'GATEWAY_TIMEOUT' };
  if (has('ENOTFOUND', 'EAI_AGAIN')) return { reason: 'dns', code: 'BAD_GATEWAY' };
  if (codes.some((c) => c.startsWith('ERR_TLS') || c.startsWith('ERR_SSL') || c.includes('CERT'))) {
    return { reason: 'tls', code: 'BAD_GATEWAY' };
  }
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED'))
    return { reason: 'reset', code: 'BAD_GATEWAY' };
  return { reason: 'other', code: 'BAD_GATEWAY' };
}

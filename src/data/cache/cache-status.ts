/** Cache-Status field values (RFC 9211) under the cache name `gerbang`. */

export const CACHE_NAME = 'gerbang';

/** Why a request went forward: RFC 9211 §2.2 values. */
export type ForwardReason = 'bypass' | 'uri-miss' | 'vary-miss' | 'miss' | 'request' | 'stale';

export const BYPASS_STATUS = `${CACHE_NAME}; fwd=bypass`;

export function hitStatus(ttl: number): string {
  return `${CACHE_NAME}; hit; ttl=${Math.round(ttl)}`;
}

export function forwardStatus(reason: ForwardReason, stored: boolean, extra?: string): string {
  let value = `${CACHE_NAME}; fwd=${reason}`;
  if (extra !== undefined) value += `; ${extra}`;
  if (stored) value += '; stored';
  return value;
}

/** A stored response sent after the backend confirmed it (304), or in place of a failing backend. */
export function staleStatus(fwdStatus: number | undefined, ttl: number, detail?: string): string {
  let value = `${CACHE_NAME}; fwd=stale`;
  if (fwdStatus !== undefined) value += `; fwd-status=${fwdStatus}`;
  value += `; ttl=${Math.round(ttl)}`;
  if (detail !== undefined) value += `; detail=${detail}`;
  return value;
}

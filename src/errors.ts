/** The one errors module: every error Gerbang reports carries a stable code, an HTTP status and a message. */

export const ERROR_CODES = {
  BAD_REQUEST: 400,
  /** More than one Host, or an absolute-form target naming another host or scheme (RFC 9112 §3.2). */
  AMBIGUOUS_HOST: 400,
  /** A request path backends could read another way: `\`, dot segments, `%2f`, `%5c`, a fragment. */
  AMBIGUOUS_PATH: 400,
  VALIDATION_FAILED: 400,
  INVALID_HOST: 400,
  HOST_OUTSIDE_ZONE: 400,
  INVALID_TARGET: 400,
  TARGET_FORBIDDEN: 400,
  /** A header rule names a field no rule may touch: hop-by-hop, X-Forwarded-*, X-Request-Id, Cache-Status (issue 16). */
  HEADER_FORBIDDEN: 400,
  UNAUTHORIZED: 401,
  /** A route under basic authentication and no valid credentials (WWW-Authenticate: Basic). */
  AUTH_REQUIRED: 401,
  FORBIDDEN: 403,
  HOST_NOT_OWNED: 403,
  /** The host's or route's access list refuses the client address (allow/deny, issue 16). */
  ACCESS_DENIED: 403,
  NOT_FOUND: 404,
  HOST_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  HOST_TAKEN: 409,
  /** An alias names a host, another host's alias or a name another agency owns. */
  ALIAS_TAKEN: 409,
  /** A redirect (alias, redirect-only host or prefix rule) would come back to itself or chain without end. */
  REDIRECT_LOOP: 400,
  /** A report's `month` that is not `YYYY-MM` (GET /v1/reports/usage). */
  INVALID_MONTH: 400,
  CONFIG_MANAGED: 409,
  /** Removing an agency that still has inventory entries: move or remove them first (as with its hosts). */
  AGENCY_HAS_INVENTORY: 409,
  /** An agency token would take its agency past its `quota` (hosts, routes per host). */
  QUOTA_EXCEEDED: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** An HTTP/2 request for a host the connection's certificate does not cover (coalesced connection): retry on a new one. */
  MISDIRECTED_REQUEST: 421,
  TOO_MANY_REQUESTS: 429,
  /** A Konsol form without its session's CSRF token, or a state-changing request from another origin. */
  CSRF_REFUSED: 403,
  /** A request body that stalled or trickled below the minimum rate (limits.requestBody*). */
  REQUEST_BODY_TIMEOUT: 408,
  /** One client address already has limits.maxBackendRequestsPerClient requests in flight to this backend. */
  BACKEND_CLIENT_LIMIT: 429,
  /** The client address spent the host's or route's `rateLimit` (rate and burst, issue 16). */
  RATE_LIMITED: 429,
  INTERNAL: 500,
  BAD_GATEWAY: 502,
  STORE_UNAVAILABLE: 503,
  UPSTREAM_UNAVAILABLE: 503,
  MAINTENANCE: 503,
  /** This instance is draining after SIGTERM: a request on a connection opened before is refused (retry elsewhere). */
  SHUTTING_DOWN: 503,
  GATEWAY_TIMEOUT: 504,
  CONFIG_INVALID: 500,
  STATE_CORRUPT: 500,
  CERT_INVALID: 400,
  CERT_KEY_INVALID: 400,
  CERT_KEY_MISMATCH: 400,
  CERT_CHAIN_INVALID: 400,
  CERT_NAME_MISMATCH: 400,
  CERT_EXPIRED: 400,
  CERT_NOT_YET_VALID: 400,
  ACME_DISABLED: 409,
  DNS_HOOK_MISSING: 409,
  /** An import failed while applying; what it had applied was undone (details say what could not be). */
  IMPORT_ROLLED_BACK: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes only the access log writes, never an answer: a request cut short (in its `error` field). */
export const ACCESS_LOG_CODES = {
  /** The client left before any answer: logged with CLIENT_CLOSED_STATUS. */
  CLIENT_CLOSED_REQUEST: 'CLIENT_CLOSED_REQUEST',
  /** The response was cut mid-body (the client left, or the backend broke off): logged with the status it began with. */
  RESPONSE_INCOMPLETE: 'RESPONSE_INCOMPLETE',
} as const;

/** The status the access log and metrics give a request whose client left before any answer: nginx's 499. */
export const CLIENT_CLOSED_STATUS = 499;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export class GerbangError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'GerbangError';
    this.code = code;
    this.statusCode = ERROR_CODES[code];
    this.details = details;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return body;
  }
}

export function isGerbangError(err: unknown): err is GerbangError {
  return err instanceof GerbangError;
}

/** A startup error that names the offending field, as operators see it before the gateway listens. */
export function configError(field: string, message: string): GerbangError {
  return new GerbangError('CONFIG_INVALID', `${field}: ${message}`, { field });
}

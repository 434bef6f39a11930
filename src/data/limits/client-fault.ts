/** Errors that end an upstream exchange by the client's doing: classified apart, so they are never held against the target. */

/** A request body that stalled or trickled below the minimum rate (answered 408). */
export const REQUEST_BODY_TIMEOUT_CODE = 'GERBANG_REQUEST_BODY_TIMEOUT';
/** A client that went away while its body was on the way. */
export const CLIENT_ABORTED_CODE = 'GERBANG_CLIENT_ABORTED';
/** A request refused because its client already has its share of the backend in flight (answered 429). */
export const BACKEND_CLIENT_LIMIT_CODE = 'GERBANG_BACKEND_CLIENT_LIMIT';

export function clientFault(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

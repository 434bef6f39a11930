/** A backend's 103 Early Hints passed to the client (RFC 8297): its Link fields only, through the response API both protocols share. */

import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { util } from 'undici';

/**
 * One link-value as Node's writeEarlyHints accepts it (the expression Node validates with): `<uri>` then
 * `; param[=value]` pairs, no spaces inside a value. A value it would refuse is dropped, never sent half-checked.
 */
const LINK_VALUE = /^(?:<[^>]*>)(?:\s*;\s*[^;"\s]+(?:=(")?[^;"\s]*\1)?)*$/;

/** Splits a Link field on the commas that are outside `<...>` and quoted strings (RFC 8288 §3). */
function linkValues(field: string, out: string[]): void {
  let start = 0;
  let inUri = false;
  let quoted = false;
  for (let i = 0; i <= field.length; i++) {
    const c = field[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (inUri) {
      if (c === '>') inUri = false;
    } else if (c === '<') inUri = true;
    else if (c === '"') quoted = true;
    else if (c === ',' || c === undefined) {
      const value = field.slice(start, i).trim();
      if (value !== '' && LINK_VALUE.test(value)) out.push(value);
      start = i + 1;
    }
  }
}

/**
 * The link-values of a 103's raw head, in order; empty when it has none worth sending. Only Link is taken:
 * browsers act on nothing else in a 103 (preload, preconnect), and any other field would reach the client
 * before the final response's header policy and hop-by-hop filtering could judge it (a Set-Cookie in a 103
 * would set state that the response, and the cache, never show).
 */
export function earlyHintLinks(rawHeaders: readonly Buffer[]): string[] {
  const links: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (util.headerNameToString(rawHeaders[i] as Buffer) !== 'link') continue;
    linkValues((rawHeaders[i + 1] as Buffer).toString('latin1'), links);
  }
  return links;
}

/**
 * Sends a 103 with the backend's Link fields ahead of the final response, when the client may get one: not once
 * the head is out, not to an HTTP/1.0 client (RFC 9110 §15.2 forbids a 1xx to it).
 */
export function forwardEarlyHints(
  res: ServerResponse | Http2ServerResponse,
  rawHeaders: readonly Buffer[],
): void {
  if (res.headersSent || res.writableEnded || res.req.httpVersion === '1.0') return;
  const links = earlyHintLinks(rawHeaders);
  if (links.length === 0) return;
  try {
    res.writeEarlyHints({ link: links });
  } catch {
    // A client that is already gone: the final response (or its absence) tells the rest.
  }
}

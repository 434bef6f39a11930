/** The checks of a header policy the schema cannot state: field names of `set` keys, names no rule may touch, one list per name. */
import { MAX_HEADER_NAME_LENGTH } from '../config/defaults.js';
import { GerbangError } from '../errors.js';
import { HEADER_NAME_PATTERN, type HeaderRules, type HeadersPolicy } from './headers-schema.js';

const TOKEN = new RegExp(HEADER_NAME_PATTERN);

/**
 * Fields a rule may never set or remove: hop-by-hop ones (RFC 9110 §7.6.1), the ones Gerbang writes itself
 * (X-Forwarded-*, Forwarded, X-Request-Id, Cache-Status, Age, HSTS through `hsts`) and the ones that frame the
 * body or the route (a wrong Content-Length or Host would break the exchange, not decorate it).
 */
const FORBIDDEN = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'forwarded',
  'x-request-id',
  'cache-status',
  'age',
  'strict-transport-security',
  'content-length',
  'content-encoding',
  'content-range',
  'host',
]);

/** Why a rule may not name this field, or undefined when it may. */
export function forbiddenReason(lower: string): string | undefined {
  if (lower.startsWith('x-forwarded-') || lower === 'x-forwarded') return 'written by Gerbang itself';
  if (!FORBIDDEN.has(lower)) return undefined;
  return lower === 'strict-transport-security' ? 'set by the `hsts` field' : 'hop-by-hop or owned by Gerbang';
}

function checkRules(rules: HeaderRules | undefined, path: string): void {
  if (rules === undefined) return;
  const seen = new Map<string, string>();
  const note = (name: string, at: string): void => {
    if (name.length > MAX_HEADER_NAME_LENGTH || !TOKEN.test(name))
      throw new GerbangError('VALIDATION_FAILED', `${at}: "${name}" is not a field name`, {
        fields: [{ path: at, message: 'not a field name (token characters, at most 64)' }],
      });
    const lower = name.toLowerCase();
    const reason = forbiddenReason(lower);
    if (reason !== undefined)
      throw new GerbangError('HEADER_FORBIDDEN', `${at}: no rule may touch ${name} (${reason})`, {
        fields: [{ path: at, message: reason }],
      });
    const earlier = seen.get(lower);
    if (earlier !== undefined)
      throw new GerbangError('VALIDATION_FAILED', `${at}: ${name} is already named at ${earlier}`, {
        fields: [{ path: at, message: `already named at ${earlier}` }],
      });
    seen.set(lower, at);
  };
  for (const name of Object.keys(rules.set ?? {})) note(name, `${path}/set/${name}`);
  for (const name of Object.keys(rules.setIfAbsent ?? {})) note(name, `${path}/setIfAbsent/${name}`);
  for (const [i, name] of (rules.remove ?? []).entries()) note(name, `${path}/remove/${i}`);
}

/** Throws VALIDATION_FAILED or HEADER_FORBIDDEN naming the field (`/routes/0/headers/response/set/Server`). */
export function checkHeadersPolicy(policy: HeadersPolicy | undefined, path: string): void {
  if (policy === undefined) return;
  checkRules(policy.response, `${path}/response`);
  checkRules(policy.request, `${path}/request`);
}

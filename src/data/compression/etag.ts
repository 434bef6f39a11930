/** The validators of an encoded representation (RFC 9110 §8.8.3): a strong ETag names one coding's bytes, so each coding gets its own. */
import { type Coding, type Encoding, negotiate } from './negotiate.js';

const SUFFIX: Record<Encoding, string> = { br: '-br', zstd: '-zst', gzip: '-gz' };

/** `"abc"` → `"abc-br"`; a weak tag stays as it is (weak equivalence holds across codings), identity unchanged. */
export function encodedEtag(etag: string, coding: Coding): string {
  if (coding === 'identity' || etag.startsWith('W/') || etag.length < 2 || !etag.endsWith('"')) return etag;
  return `${etag.slice(0, -1)}${SUFFIX[coding]}"`;
}

/**
 * If-None-Match / If-Match as the backend must see them: a tag Gerbang gave out for the coding this request
 * negotiates turns back into the backend's (`"abc-br"` → `"abc"`). Tags of another coding stay, so they match
 * nothing: a client that held br bytes and now takes only gzip gets the gzip body, not a 304.
 */
export function backendConditional(value: string, coding: Coding): string {
  if (coding === 'identity') return value;
  const suffix = `${SUFFIX[coding]}"`;
  if (!value.includes(suffix)) return value;
  return value
    .split(',')
    .map((t) => {
      const tag = t.trim();
      return !tag.startsWith('W/') && tag.endsWith(suffix) ? `${tag.slice(0, -suffix.length)}"` : tag;
    })
    .join(', ');
}

/**
 * The ETag a 304 from the backend carries for this client: when the client held our encoded variant (its
 * If-None-Match names the backend's tag with this coding's suffix), that variant's tag, not the backend's.
 */
export function notModifiedEtag(etag: string, coding: Coding, ifNoneMatch: string | undefined): string {
  if (ifNoneMatch === undefined || coding === 'identity') return etag;
  const mine = encodedEtag(etag, coding);
  if (mine === etag) return etag;
  for (const tag of ifNoneMatch.split(',')) if (tag.trim() === mine) return mine;
  return etag;
}

/** Rewrites If-None-Match and If-Match in the headers about to go to the backend. */
export function backendConditionals(headers: Record<string, unknown>): void {
  const inm = headers['if-none-match'];
  const im = headers['if-match'];
  if (typeof inm !== 'string' && typeof im !== 'string') return;
  const ae = headers['accept-encoding'];
  const coding = negotiate(
    typeof ae === 'string' || Array.isArray(ae) ? (ae as string | string[]) : undefined,
  );
  if (typeof inm === 'string') headers['if-none-match'] = backendConditional(inm, coding);
  if (typeof im === 'string') headers['if-match'] = backendConditional(im, coding);
}

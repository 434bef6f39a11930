/** The agency's own short text on a branded page (`errorPages`): the route's set, else the host's, in the page's language or the other one. */
import type { ErrorPages, ErrorPageTexts } from '../../model/headers-schema.js';
import type { CompiledHost, CompiledRoute } from '../routing/snapshot.js';
import type { PageLang } from './local-time.js';

/** The statuses an agency may word (and `maintenance`). */
type TextKey = keyof ErrorPages;

function keyOf(status: number): TextKey | undefined {
  switch (status) {
    case 403:
    case 404:
    case 429:
    case 502:
    case 503:
    case 504:
      return String(status) as TextKey;
    default:
      return undefined;
  }
}

/** In the page's language when given, else in the other: a citizen is better served by the agency's words in either. */
export function textIn(texts: ErrorPageTexts | undefined, lang: PageLang): string | undefined {
  if (texts === undefined) return undefined;
  return lang === 'id' ? (texts.id ?? texts.en) : (texts.en ?? texts.id);
}

/** The text for a page of `status` (undefined for statuses the agency cannot word, or when it set none). */
export function agencyTextFor(
  host: CompiledHost | undefined,
  route: CompiledRoute | undefined,
  status: number,
  lang: PageLang,
): string | undefined {
  return pageTextIn(route?.spec.errorPages ?? host?.errorPages, status, lang);
}

/** The text of one set of `errorPages` for a page of `status`. */
export function pageTextIn(
  pages: ErrorPages | undefined,
  status: number,
  lang: PageLang,
): string | undefined {
  const key = pages === undefined ? undefined : keyOf(status);
  return key === undefined ? undefined : textIn(pages?.[key], lang);
}

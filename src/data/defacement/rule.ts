/** What a defacement rule is (an id and a test over one page) and the small text helpers the rules share. */

/** One page as the rules see it: lower-cased HTML (head and tail when it was long) and the host it was served for. */
export interface ScannedPage {
  readonly html: string;
  /** The host name the page was served for (a wildcard host's `*.` removed): its own links are not outside links. */
  readonly host: string;
}

export interface DefacementRule {
  /** Stable id: the metric's `rule` label, the log line, the finding. */
  readonly id: string;
  /** What matched (a short excerpt for the agency), or undefined when the page is clean for this rule. */
  test(page: ScannedPage): string | undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * A whole word or phrase over lower-cased text. Found by its leading literal with indexOf and only then checked
 * with the pattern at that place: a pattern tried at every position of a page cost milliseconds per term.
 */
export class Term {
  readonly #anchor: string;
  readonly #pattern: RegExp;

  /** `source`: a pattern that starts with a literal of letters or digits; spaces match any run of white space. */
  constructor(source: string) {
    const body = source.trim().replace(/ +/g, '[\\s\\-_]*');
    this.#anchor = /^[a-z0-9]+/.exec(body)?.[0] ?? '';
    if (this.#anchor === '') throw new Error(`a term must start with a letter or digit: ${source}`);
    this.#pattern = new RegExp(`${body}(?![a-z0-9])`, 'y');
  }

  /** The first whole-word match in `text`, or undefined. */
  find(text: string): string | undefined {
    const anchor = this.#anchor;
    for (let i = text.indexOf(anchor); i !== -1; i = text.indexOf(anchor, i + anchor.length)) {
      if (i > 0 && isWordChar(text.charCodeAt(i - 1))) continue;
      this.#pattern.lastIndex = i;
      const m = this.#pattern.exec(text);
      if (m !== null) return m[0];
    }
    return undefined;
  }
}

/** A term as a whole-word pattern over lower-cased text. */
export function wordPattern(source: string): Term {
  return new Term(source);
}

/** A literal term from the config (no pattern syntax), as a whole word. */
export function literalWordPattern(term: string): Term {
  return new Term(escapeRegExp(term.toLowerCase().trim()));
}

/** The terms found in `text`: the matched words, once each. */
export function termsIn(text: string, terms: readonly Term[]): string[] {
  const found: string[] = [];
  for (const term of terms) {
    const m = term.find(text);
    if (m !== undefined) found.push(m);
  }
  return found;
}

/** Domains of the government and of the big platforms a portal links to anyway (menus, share buttons). */
const ORDINARY_DOMAIN =
  /(?:^|\.)(?:go\.id|ac\.id|sch\.id|mil\.id|desa\.id|facebook\.com|instagram\.com|twitter\.com|x\.com|youtube\.com|youtu\.be|google\.com|whatsapp\.com|wa\.me|tiktok\.com|linkedin\.com|t\.me|wikipedia\.org)$/;

const LINK = /<a\b[^>]*?\bhref\s*=\s*["']?\s*(?:https?:)?\/\/([a-z0-9.-]+)[^>]*>([^<]{0,200})/g;

/**
 * The links of `html` to other sites than the page's own and the ordinary ones, as `domain anchor-text`; at most
 * a few hundred, so a page full of links costs no more than that.
 */
export function externalLinks(html: string, ownHost: string): string[] {
  const out: string[] = [];
  const own = ownHost.toLowerCase();
  LINK.lastIndex = 0;
  for (let m = LINK.exec(html); m !== null && out.length < 500; m = LINK.exec(html)) {
    const domain = (m[1] ?? '').replace(/\.$/, '');
    if (domain === own || domain.endsWith(`.${own}`) || own.endsWith(`.${domain}`)) continue;
    if (ORDINARY_DOMAIN.test(domain)) continue;
    out.push(`${domain} ${(m[2] ?? '').trim()}`);
  }
  return out;
}

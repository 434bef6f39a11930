/** The built-in defacement rules: injected gambling spam and hidden link farms, chosen so an ordinary government page does not match. */
import type { BuiltinRuleId } from './builtin-rule-ids.js';
import { type DefacementRule, externalLinks, type Term, termsIn, wordPattern } from './rule.js';

/**
 * The marketing words of slot and betting spam: seldom on an honest page. `slot` alone is not one (slot waktu
 * layanan), nor `bandar` (bandar udara).
 */
const SPAM_TERMS: readonly Term[] = [
  'gacor',
  'maxwin',
  'rtp live',
  'rtp slot',
  'bocoran rtp',
  'scatter hitam',
  'deposit pulsa',
  'deposit dana',
  'anti rungkad',
  'mahjong ways',
  'gates of olympus',
  'sweet bonanza',
  'starlight princess',
  'pragmatic play',
  'zeus',
  'slot thailand',
  'slot server',
  'slot (?:88|777|303|4d)',
  'slot\\d{2,4}',
  'link alternatif',
  'daftar slot',
  'akun pro',
  'wd cepat',
  'x500',
  'sbobet',
  'toto macau',
].map(wordPattern);

/**
 * Words a news page may use too (a police report about an arrest, a campaign against online gambling): they count
 * only beside the spam words.
 */
const NEWS_TERMS: readonly Term[] = [
  'judi online',
  'judi slot',
  'judi bola',
  'situs judi',
  'situs slot',
  'slot online',
  'togel',
  'bandar (?:togel|judi|slot|bola)',
  'kasino',
  'casino',
  'taruhan',
].map(wordPattern);

/** Any gambling word, for the text of a link or of a hidden block. */
const GAMBLING_WORD =
  /(?<![a-z0-9])(?:slot|togel|judi|casino|kasino|gacor|poker|sbobet|maxwin|jackpot|(?:bet|toto|zeus)(?![a-z]))/;

/** Inline styles that hide an element from a reader but not from a search engine. */
const HIDDEN_OPEN =
  /<([a-z][a-z0-9]*)\b[^>]*?\bstyle\s*=\s*["'][^"']*?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|em|rem|pt|%)?\s*(?:[;!"']|$)|(?:left|top|text-indent)\s*:\s*-\d{3,}px)/g;

/** How far after a hidden element's start its content is looked at. */
const HIDDEN_BLOCK_WINDOW = 32 * 1024;

/** The content of the element opened at `start` (its tag name given), up to its matching close or the window. */
function elementContent(html: string, start: number, tag: string): string {
  const end = Math.min(html.length, start + HIDDEN_BLOCK_WINDOW);
  const tags = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(html); m !== null && m.index < end; m = tags.exec(html)) {
    if (m[1] === '/') {
      depth -= 1;
      if (depth <= 0) return html.slice(start, m.index);
    } else depth += 1;
  }
  return html.slice(start, end);
}

const SPAM_WORDS_NEEDED = 2;
const NEWS_WORDS_BESIDE_ONE_SPAM_WORD = 2;
const HIDDEN_LINKS_WITH_GAMBLING_WORD = 3;
const HIDDEN_LINKS_ALONE = 10;
const GAMBLING_LINKS_NEEDED = 3;

export const BUILTIN_RULES: readonly (DefacementRule & { id: BuiltinRuleId })[] = [
  {
    id: 'gambling-spam-terms',
    test(page) {
      const spam = termsIn(page.html, SPAM_TERMS);
      if (spam.length >= SPAM_WORDS_NEEDED) return spam.join(', ');
      if (spam.length === 1) {
        const news = termsIn(page.html, NEWS_TERMS);
        if (news.length >= NEWS_WORDS_BESIDE_ONE_SPAM_WORD) return [...spam, ...news].join(', ');
      }
      return undefined;
    },
  },
  {
    id: 'gambling-title',
    test(page) {
      const title = /<title\b[^>]*>([^<]{0,1000})/.exec(page.html)?.[1];
      if (title === undefined) return undefined;
      const spam = termsIn(title, SPAM_TERMS);
      return spam.length > 0 ? `title: ${title.trim().slice(0, 120)}` : undefined;
    },
  },
  {
    id: 'hidden-link-block',
    test(page) {
      HIDDEN_OPEN.lastIndex = 0;
      for (let m = HIDDEN_OPEN.exec(page.html); m !== null; m = HIDDEN_OPEN.exec(page.html)) {
        const block = elementContent(page.html, m.index, m[1] ?? 'div');
        const links = externalLinks(block, page.host);
        if (
          links.length >= HIDDEN_LINKS_ALONE ||
          (links.length >= HIDDEN_LINKS_WITH_GAMBLING_WORD && GAMBLING_WORD.test(block))
        )
          return `hidden <${m[1]}> with ${links.length} outside links: ${links.slice(0, 5).join(', ')}`;
        HIDDEN_OPEN.lastIndex = m.index + Math.max(1, block.length);
      }
      return undefined;
    },
  },
  {
    id: 'gambling-link-list',
    test(page) {
      const hits = externalLinks(page.html, page.host).filter((link) => GAMBLING_WORD.test(link));
      const domains = new Set(hits.map((link) => link.split(' ')[0]));
      return domains.size >= GAMBLING_LINKS_NEEDED ? [...domains].slice(0, 5).join(', ') : undefined;
    },
  },
];

/** The curated probe rules: what scanners ask legacy portals for, each rule narrow enough that no citizen's request matches it. */

/** A rule's id is a metric label: the set is fixed here, so the series count is bounded. */
export type ProbeRuleId =
  | 'vcs-folder'
  | 'dotfile'
  | 'backup-file'
  | 'editor-leftover'
  | 'exploit-path'
  | 'encoded-traversal'
  | 'path-traversal'
  | 'sql-injection'
  | 'script-injection'
  | 'jndi-lookup';

export const PROBE_RULE_IDS: readonly ProbeRuleId[] = [
  'vcs-folder',
  'dotfile',
  'backup-file',
  'editor-leftover',
  'exploit-path',
  'encoded-traversal',
  'path-traversal',
  'sql-injection',
  'script-injection',
  'jndi-lookup',
];

interface Rule {
  readonly id: ProbeRuleId;
  readonly pattern: RegExp;
}

/**
 * Read on the lower-cased path (H4's request-target.ts has already refused dot segments, `%2f` and `%5c`, and
 * decoded unreserved escapes, so `%2e` arrives as `.`). `/.well-known/` is the one dot folder the web uses.
 */
const PATH_RULES: readonly Rule[] = [
  // Overlong UTF-8 slashes and dots, double encoding and NUL: no browser ever sends these.
  { id: 'encoded-traversal', pattern: /%c0%a[ef]|%c1%9c|%25(?:2e|2f|5c|00)|%00|%u002e|%uff0e/ },
  { id: 'vcs-folder', pattern: /\/\.(?:git|svn|hg|bzr|cvs)(?:\/|$)/ },
  { id: 'dotfile', pattern: /\/\.(?!well-known(?:\/|$))[^/]/ },
  {
    id: 'backup-file',
    pattern:
      /^\/(?:[^/]*\.sql(?:\.(?:gz|zip|bz2|xz|7z))?|(?:backup|backups|bak|db|database|dump|www|web|site|wwwroot|htdocs|public_html|html|old|archive|data|mysql|sql|home|root|files)\.(?:zip|rar|7z|tar|tar\.gz|tgz|tar\.bz2|gz|bz2|xz))$/,
  },
  {
    id: 'editor-leftover',
    pattern: /(?:~|\.bak|\.swp|\.swo|\.orig|\.save|\.(?:php|inc|conf|config|ini)\.(?:old|txt|copy|dist|1))$/,
  },
  {
    id: 'exploit-path',
    pattern:
      /(?:\/phpunit\/.{0,200}\/eval-stdin\.php|\/_ignition\/execute-solution|\/wp-file-manager\/lib\/php\/connector\.minimal\.php|^\/hnap1(?:\/|$)|^\/gponform\/|^\/boaform\/|\/cgi-bin\/\.|\/invokefunction)/,
  },
];

/** Read on the query once decoded (`+` as space) and lower-cased; the raw query is read too for encodings. */
const QUERY_RULES: readonly Rule[] = [
  { id: 'encoded-traversal', pattern: /%2e%2e|%c0%a[ef]|%c1%9c|%25(?:2e|2f|5c|00)|%00/ },
  {
    id: 'path-traversal',
    pattern: /\.\.[/\\](?:etc[/\\](?:passwd|shadow)|proc[/\\]self[/\\]|windows[/\\]win\.ini|boot\.ini)/,
  },
  {
    id: 'sql-injection',
    // `union select` with what only SQL puts after it: a column list of nulls or numbers, a comment, a function.
    pattern:
      /\bunion(?:\s|\/\*.{0,100}?\*\/)+(?:all(?:\s|\/\*.{0,100}?\*\/)+)?select(?:\s|\/\*.{0,100}?\*\/)+(?:(?:null|\d+|0x[0-9a-f]+)\s*(?:,|--|#|\/\*|\)|$)|.{0,200}?(?:@@version|group_concat\(|concat(?:_ws)?\(|char\(|information_schema|sleep\(|benchmark\())/,
  },
  {
    id: 'script-injection',
    pattern: /<script[\s>/]|<[a-z]+[^>]{0,200}\son(?:error|load)\s*=|javascript:[^\s(]{0,200}\(/,
  },
  { id: 'jndi-lookup', pattern: /\$\{(?:jndi:|\$\{|[a-z]{1,20}:[^}]{0,50}\}ndi)/ },
  // ThinkPHP 5's remote code execution, sent in the `s` parameter of index.php.
  { id: 'exploit-path', pattern: /\\think\\app\/invokefunction|\/invokefunction&function=/ },
];

const ANY_QUERY_RULE = new RegExp(QUERY_RULES.map((r) => `(?:${r.pattern.source})`).join('|'));
const ANY_PATH_RULE = new RegExp(PATH_RULES.map((r) => `(?:${r.pattern.source})`).join('|'));

/** The first rule the path matches, or undefined; one combined test first, so a clean path costs one regex. */
export function matchPathRule(path: string): ProbeRuleId | undefined {
  const lower = path.toLowerCase();
  if (!ANY_PATH_RULE.test(lower)) return undefined;
  for (const rule of PATH_RULES) if (rule.pattern.test(lower)) return rule.id;
  return undefined;
}

/** Percent-decoding that never throws: a malformed escape is left as it is. */
function decodeQuery(query: string): string {
  const spaced = query.includes('+') ? query.replace(/\+/g, ' ') : query;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
}

/** The first rule the query (without `?`) matches, or undefined. */
export function matchQueryRule(query: string): ProbeRuleId | undefined {
  const raw = query.toLowerCase();
  const decoded = decodeQuery(raw);
  if (!ANY_QUERY_RULE.test(decoded) && (decoded === raw || !ANY_QUERY_RULE.test(raw))) return undefined;
  for (const rule of QUERY_RULES) {
    if (rule.pattern.test(decoded) || (decoded !== raw && rule.pattern.test(raw))) return rule.id;
  }
  return undefined;
}

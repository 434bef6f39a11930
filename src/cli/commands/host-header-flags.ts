/** The `hosts set` flags of the header policy and the agency's page texts (issue 16), as merge-patch fields of `headers` and `errorPages`. */
import { type CommandContext, flags, UsageError } from '../args.js';

const GROUP = 'hosts';
const PAGES = new Set(['403', '404', '429', '502', '503', '504', 'maintenance']);

interface Rules {
  remove?: string[];
}

interface Current {
  headers?: { response?: Rules; request?: Rules };
  [field: string]: unknown;
}

/** `Name: value` (the API checks the name and the value, naming the field). */
function fieldOf(text: string, option: string): [string, string] {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (colon <= 0 || name === '' || value === '')
    throw new UsageError(`--${option} ${text}: 'Name: value'`, GROUP);
  return [name, value];
}

/** The set / setIfAbsent / remove patch of one direction; remove lists add to the stored one (arrays are replaced whole). */
function rulesPatch(
  ctx: CommandContext,
  prefix: '' | 'request-',
  stored: Rules | undefined,
): Record<string, unknown> | undefined {
  const set = flags(ctx.values, `${prefix}header-set`).map((t) => fieldOf(t, `${prefix}header-set`));
  const ifAbsent = flags(ctx.values, `${prefix}header-set-if-absent`).map((t) =>
    fieldOf(t, `${prefix}header-set-if-absent`),
  );
  const remove = flags(ctx.values, `${prefix}header-remove`);
  if (set.length === 0 && ifAbsent.length === 0 && remove.length === 0) return undefined;
  const before = stored?.remove ?? [];
  return {
    ...(set.length > 0 ? { set: Object.fromEntries(set) } : {}),
    ...(ifAbsent.length > 0 ? { setIfAbsent: Object.fromEntries(ifAbsent) } : {}),
    ...(remove.length > 0
      ? {
          remove: [
            ...before,
            ...remove.filter((n) => !before.some((b) => b.toLowerCase() === n.toLowerCase())),
          ],
        }
      : {}),
  };
}

/** `404=Teks` (Indonesian) or `404.en=Text`: the page and its language. */
function pageTextOf(text: string): [string, 'id' | 'en', string] {
  const eq = text.indexOf('=');
  const [page = '', lang = 'id', extra] = text.slice(0, Math.max(eq, 0)).split('.');
  const body = text.slice(eq + 1);
  if (eq <= 0 || !PAGES.has(page) || (lang !== 'id' && lang !== 'en') || extra !== undefined || body === '')
    throw new UsageError(`--error-text ${text}: '<403|404|429|502|503|504|maintenance>[.en]=<text>'`, GROUP);
  return [page, lang, body];
}

/** The patch fields these flags name (none when they are absent); `current` is the stored host, if any. */
export function headerPatchFromFlags(
  current: Current | undefined,
  ctx: CommandContext,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const headers: Record<string, unknown> = {};
  const response = rulesPatch(ctx, '', current?.headers?.response);
  if (response !== undefined) headers.response = response;
  const request = rulesPatch(ctx, 'request-', current?.headers?.request);
  if (request !== undefined) headers.request = request;
  const off = ctx.values['no-default-headers'] === true;
  const on = ctx.values['default-headers'] === true;
  if (off && on) throw new UsageError('--default-headers and --no-default-headers: one of them', GROUP);
  if (off || on) headers.defaults = on;
  if (Object.keys(headers).length > 0) patch.headers = headers;
  const texts = flags(ctx.values, 'error-text');
  if (texts.length > 0) {
    const pages: Record<string, Record<string, string>> = {};
    for (const [page, lang, body] of texts.map(pageTextOf)) pages[page] = { ...pages[page], [lang]: body };
    patch.errorPages = pages;
  }
  return patch;
}

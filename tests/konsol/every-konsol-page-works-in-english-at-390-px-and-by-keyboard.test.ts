import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import t from 'tap';
import { chromiumLaunchOptions } from '../helpers/chromium.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';
import { ADMIN_PASSWORD, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const KONSOL_SRC = join(HERE, '../../src/control/konsol');
/** Screenshots of every page walked, kept as test artefacts (git-ignored). */
const ARTIFACTS = join(HERE, '../artifacts/konsol');
const WIDTH = 390;
const MAX_PAGES_PER_USER = 40;
const MAX_TABS = 150;
const PAGES_PER_SHAPE = 2;
/** Pages left over when it runs out are reported as not walked, never skipped silently. */
const WALK_BUDGET_MS = 300_000;
/** The walk grows with every page added; a busy machine takes ~1.5 s a page view. Told to the runner below. */
const FILE_TIMEOUT_MS = WALK_BUDGET_MS + 60_000;
const LANGS = ['id', 'en'] as const;
/** The seeded users' names (seedUsers): data shown as typed, in either language, not UI words. */
const TEST_DATA = new Set(['Admin DKISP', 'Budi Santoso']);

/** Indonesian UI strings of every words file (konsol-i18n.ts and each `*-words.ts`), with their English twins. */
async function indonesianWords(): Promise<string[]> {
  const files = (await readdir(KONSOL_SRC)).filter((f) => f === 'konsol-i18n.ts' || f.endsWith('-words.ts'));
  const out = new Set<string>();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(KONSOL_SRC, file)).href)) as Record<string, unknown>;
    const tables: Array<{ id: Record<string, unknown>; en: Record<string, unknown> }> = [];
    if (typeof mod.wordsOf === 'function') {
      const wordsOf = mod.wordsOf as (l: string) => Record<string, unknown>;
      tables.push({ id: wordsOf('id'), en: wordsOf('en') });
    }
    for (const value of Object.values(mod)) {
      const v = value as { id?: unknown; en?: unknown } | null;
      if (v && typeof v === 'object' && typeof v.id === 'object' && typeof v.en === 'object')
        tables.push(v as { id: Record<string, unknown>; en: Record<string, unknown> });
    }
    for (const { id, en } of tables) {
      for (const [key, text] of Object.entries(id)) {
        if (typeof text !== 'string' || text === en[key]) continue;
        // The longest literal run between placeholders: what would show if it leaked.
        const run =
          text
            .split(/\{[a-z]+\}/i)
            .sort((a, b) => b.length - a.length)[0]
            ?.trim() ?? '';
        if (run.length >= 8 && !TEST_DATA.has(run)) out.add(run);
      }
    }
  }
  return [...out];
}

/**
 * The same page for another record (a host, a user, an agency): its path with id-like segments (digits, dots,
 * underscores) as `*`. Two of each shape are walked, so both agencies' host pages are, but not every user's.
 */
function shapeOf(path: string): string {
  return path
    .split('/')
    .map((seg) => (seg.length >= 6 && /[0-9._]/.test(seg) ? '*' : seg))
    .join('/');
}

/** What the page says about itself (computed in the browser). */
interface PageFacts {
  htmlLang: string;
  scrollWidth: number;
  unlabelled: string[];
  focusRules: string[];
  focusable: number;
}

interface FocusFact {
  walk: string | null;
  styled: boolean;
  what: string;
}

interface PageReport {
  user: string;
  path: string;
  lang: string;
  problems: string[];
}

/** The same-origin Konsol links of the page, without their language (each page is walked in both). */
async function konsolLinks(page: Page, origin: string): Promise<string[]> {
  const hrefs = (await page.evaluate(
    "[...document.querySelectorAll('a[href]')].map((a) => a.href)",
  )) as string[];
  const out = new Set<string>();
  for (const href of hrefs) {
    const url = new URL(href);
    if (
      url.origin !== origin ||
      !url.pathname.startsWith('/konsol/') ||
      url.pathname.startsWith('/konsol/assets/')
    )
      continue;
    url.searchParams.delete('lang');
    url.hash = '';
    out.add(url.pathname + url.search);
  }
  return [...out];
}

/** What one page fails: status, lang, width, labels, keyboard reach and focus style. */
async function checkPage(page: Page, lang: string): Promise<string[]> {
  const problems: string[] = [];
  const facts = (await page.evaluate(`((width) => {
    const el = document.scrollingElement ?? document.documentElement;
    const controls = [...document.querySelectorAll('input, select, textarea, button')].filter(
      (c) => !(c instanceof HTMLInputElement && c.type === 'hidden'),
    );
    const unlabelled = controls
      .filter((c) => {
        const id = c.getAttribute('id');
        const forLabel = id !== null && document.querySelector(\`label[for="\${CSS.escape(id)}"]\`) !== null;
        const aria = (c.getAttribute('aria-label') ?? '').trim() !== '' || c.hasAttribute('aria-labelledby');
        const buttonText = c instanceof HTMLButtonElement && (c.textContent ?? '').trim() !== '';
        return !(forLabel || aria || buttonText || c.closest('label') !== null);
      })
      .map((c) => \`\${c.tagName.toLowerCase()}[name=\${c.getAttribute('name') ?? ''}]\`);
    const focusRules = [];
    for (const sheet of [...document.styleSheets]) {
      for (const rule of [...sheet.cssRules]) {
        if (
          rule instanceof CSSStyleRule &&
          rule.selectorText.includes(':focus-visible') &&
          rule.style.outlineStyle !== '' &&
          rule.style.outlineStyle !== 'none'
        )
          focusRules.push(rule.selectorText);
      }
    }
    const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea')].filter(
      (c) => {
        if (c instanceof HTMLInputElement && c.type === 'hidden') return false;
        if (c.disabled || c.getAttribute('tabindex') === '-1') return false;
        const box = c.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
      },
    );
    for (const [i, c] of focusable.entries()) c.setAttribute('data-walk', String(i));
    return {
      htmlLang: document.documentElement.lang,
      scrollWidth: el.scrollWidth,
      width,
      unlabelled,
      focusRules,
      focusable: focusable.length,
      text: document.querySelector('main')?.textContent ?? '',
    };
})(${WIDTH})`)) as PageFacts;
  if (facts.htmlLang !== lang) problems.push(`<html lang="${facts.htmlLang}">, expected ${lang}`);
  if (facts.scrollWidth > WIDTH)
    problems.push(`scrolls sideways: scrollWidth ${facts.scrollWidth} > ${WIDTH}`);
  for (const c of facts.unlabelled) problems.push(`no label: ${c}`);
  if (facts.focusRules.length === 0) problems.push('the stylesheet has no :focus-visible outline');

  // Tab from the top: every control is reached, and each one focused matches a :focus-visible outline rule.
  // Each focus is recorded in the page as it happens: one round trip for the whole walk, not one per Tab.
  await page.evaluate(`(() => {
  document.activeElement?.blur();
  const rules = ${JSON.stringify(facts.focusRules)};
  window.__focusWalk = [];
  document.addEventListener('focusin', (e) => {
    const a = e.target;
    const styled = rules.some((r) => a.matches(r)) && getComputedStyle(a).outlineStyle !== 'none';
    const what = a.tagName.toLowerCase() + ' "' + (a.textContent || a.getAttribute('name') || '').trim().slice(0, 30) + '"';
    window.__focusWalk.push({ walk: a.getAttribute('data-walk'), styled, what });
  });
})()`);
  for (let i = 0; i < Math.min(MAX_TABS, facts.focusable + 1); i++) await page.keyboard.press('Tab');
  const focused = (await page.evaluate('window.__focusWalk')) as FocusFact[];
  const reached = new Set(focused.map((f) => f.walk).filter((w) => w !== null));
  const unstyled = new Set(focused.filter((f) => !f.styled).map((f) => f.what));
  if (reached.size < facts.focusable)
    problems.push(`Tab reaches ${reached.size} of ${facts.focusable} controls`);
  for (const what of unstyled) problems.push(`no visible focus style: ${what}`);
  return problems;
}

t.setTimeout(FILE_TIMEOUT_MS);

t.test(
  'every Konsol page reachable from the nav: id and en, no sideways scroll at 390 px, labels, keyboard, screenshots',
  async (t) => {
    const started = Date.now();
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    for (const [host, agency] of [
      ['dinkes.paserkab.go.id', 'dinkes'],
      ['disdik.paserkab.go.id', 'disdik'],
    ] as const) {
      t.equal(
        (await gw.admin('PUT', `/v1/hosts/${host}`, { ...simpleHost('http://127.0.0.1:9'), agency })).status,
        201,
      );
    }
    const ca = await createTestCa();
    t.equal(
      (
        await gw.admin(
          'PUT',
          '/v1/certificates/dinkes.paserkab.go.id',
          await ca.issue(['dinkes.paserkab.go.id']),
        )
      ).status,
      201,
    );
    const leftovers = await indonesianWords();
    t.ok(leftovers.length > 20, `Indonesian UI strings collected from the words files (${leftovers.length})`);
    await mkdir(ARTIFACTS, { recursive: true });

    const browser = await chromium.launch(chromiumLaunchOptions());
    t.teardown(() => browser.close());
    const reports: PageReport[] = [];
    const walked: string[] = [];

    const walk = async (user: string, login: string | undefined, password: string) => {
      const context = await browser.newContext({
        viewport: { width: WIDTH, height: 844 },
        isMobile: true,
        locale: 'id-ID',
      });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
      });
      if (login !== undefined) {
        await page.goto(`${gw.adminUrl}/konsol/login`);
        await page.getByLabel('Nama pengguna').fill(login);
        await page.getByLabel('Kata sandi', { exact: true }).fill(password);
        await page.getByRole('button', { name: 'Masuk' }).click();
        await page.waitForURL((u) => !u.pathname.endsWith('/login'));
      }
      const queue = [login === undefined ? '/konsol/login' : '/konsol/'];
      const seen = new Set(queue);
      const shapes = new Map<string, number>();
      while (queue.length > 0) {
        const path = queue.shift() as string;
        if (seen.size > MAX_PAGES_PER_USER || Date.now() - started > WALK_BUDGET_MS) {
          reports.push({
            user,
            path,
            lang: '-',
            problems: ['not walked: the walk ran out of its page or time budget'],
          });
          continue;
        }
        const texts: Record<string, string> = {};
        for (const lang of LANGS) {
          const url = new URL(gw.adminUrl + path);
          url.searchParams.set('lang', lang);
          const problems: string[] = [];
          const res = await page.goto(url.href);
          const status = res?.status() ?? 0;
          if (status >= 400 || status === 0) problems.push(`HTTP ${status}`);
          problems.push(...(await checkPage(page, lang)));
          const text = ((await page.textContent('main')) ?? '').replace(/\s+/g, ' ');
          texts[lang] = text;
          if (lang === 'en') {
            for (const word of leftovers)
              if (text.includes(word)) problems.push(`Indonesian left on the English page: "${word}"`);
            if (text === texts.id) problems.push('the English page reads like the Indonesian one');
          }
          const slug =
            path
              .replace(/^\/konsol\/?/, '')
              .replace(/[^a-z0-9]+/gi, '-')
              .replace(/^-|-$/g, '') || 'home';
          await page.screenshot({ path: join(ARTIFACTS, `${user}-${slug}-${lang}.png`), fullPage: true });
          reports.push({ user, path, lang, problems });
          walked.push(`${user} ${path} ${lang}`);
          if (login !== undefined && lang === 'id') {
            for (const link of await konsolLinks(page, gw.adminUrl)) {
              const shape = shapeOf(link);
              const ofShape = shapes.get(shape) ?? 0;
              if (seen.has(link) || ofShape >= PAGES_PER_SHAPE) continue;
              seen.add(link);
              shapes.set(shape, ofShape + 1);
              queue.push(link);
            }
          }
        }
      }
      for (const v of violations) reports.push({ user, path: '(console)', lang: '-', problems: [v] });
      await context.close();
    };

    await walk('anonymous', undefined, '');
    await walk('admin', 'admin', ADMIN_PASSWORD);
    await walk('member', 'budi', MEMBER_PASSWORD);

    for (const must of [
      'anonymous /konsol/login en',
      'admin /konsol/ en',
      'admin /konsol/sertifikat en',
      'admin /konsol/admin/sistem en',
      'admin /konsol/akun en',
      'admin /konsol/hosts/disdik.paserkab.go.id en',
      'member /konsol/hosts/dinkes.paserkab.go.id en',
      'member /konsol/sertifikat en',
    ]) {
      t.ok(walked.includes(must), `walked: ${must}`);
    }
    t.notOk(
      walked.some((w) => w.startsWith('member /konsol/admin/')),
      'no admin page is linked for a member',
    );
    const failed = reports.filter((r) => r.problems.length > 0);
    for (const r of failed) t.comment(`${r.user} ${r.path} ?lang=${r.lang}: ${r.problems.join('; ')}`);
    t.same(
      failed.map((r) => `${r.user} ${r.path} ${r.lang}: ${r.problems.join('; ')}`),
      [],
      `every one of ${reports.length} page views passes (screenshots in tests/artifacts/konsol/)`,
    );
  },
);

/** One Chromium at 390 px for a Konsol test: a throwaway profile, CSP violations collected, sign-in through the login form. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Test } from 'tap';
import { chromiumLaunchOptions } from '../helpers/chromium.js';

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console lines of Content-Security-Policy violations, for a `t.same(violations, [])` at the end. */
  violations: string[];
  /**
   * Fills in and sends the login form. By default it goes to /konsol/login first and waits for "Layanan saya";
   * `onLoginPage` fills the page already open, `mayBeRefused` only waits for the answer to load.
   */
  signIn(
    login: string,
    password: string,
    options?: { code?: string; onLoginPage?: boolean; mayBeRefused?: boolean },
  ): Promise<void>;
}

/** A phone-sized, Indonesian-locale Chromium on Konsol at `adminUrl`, closed and its profile removed at teardown. */
export async function openBrowserSession(
  t: Test,
  adminUrl: string,
  options: { profilePrefix: string; hasTouch?: boolean },
): Promise<BrowserSession> {
  const profile = await mkdtemp(join(tmpdir(), options.profilePrefix));
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions(),
    viewport: { width: 390, height: 844 },
    isMobile: true,
    ...(options.hasTouch === true ? { hasTouch: true } : {}),
    locale: 'id-ID',
  });
  t.teardown(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  const signIn: BrowserSession['signIn'] = async (login, password, signInOptions = {}) => {
    if (signInOptions.onLoginPage !== true) await page.goto(`${adminUrl}/konsol/login`);
    await page.getByLabel('Nama pengguna').fill(login);
    await page.getByLabel('Kata sandi', { exact: true }).fill(password);
    if (signInOptions.code !== undefined) await page.getByLabel(/Kode autentikator/).fill(signInOptions.code);
    const send = page.getByRole('button', { name: 'Masuk' });
    if (signInOptions.mayBeRefused === true) {
      await send.click();
      await page.waitForLoadState();
      return;
    }
    await Promise.all([page.waitForURL(/\/konsol\/\?/), send.click()]);
  };
  return { context, page, violations, signIn };
}

/** How the browser tests start Debian's Chromium: headless, sandbox off (root), and no background traffic to a network this machine does not have. */

const CHROMIUM = '/usr/bin/chromium';
const QUIET_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launch options for playwright-core's `launchPersistentContext`, plus the test's own arguments. */
export function chromiumLaunchOptions(extraArgs: string[] = []): {
  executablePath: string;
  headless: true;
  args: string[];
} {
  return { executablePath: CHROMIUM, headless: true, args: [...QUIET_ARGS, ...extraArgs] };
}

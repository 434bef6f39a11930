/** Checks (and, as root with apt-get, installs) the system programs the test suite starts: Redis, Pebble, Prometheus, Chromium, curl, h2load. */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Program the tests spawn → the Debian package that ships it. */
export const REQUIRED_PROGRAMS = {
  'redis-server': 'redis-server',
  pebble: 'pebble',
  'pebble-challtestsrv': 'pebble',
  prometheus: 'prometheus',
  promtool: 'prometheus',
  // The service directory's browser test drives Debian's chromium through playwright-core.
  chromium: 'chromium',
  // HTTP/2 and compression tests drive real clients: curl (--http2, --compressed) and h2load.
  curl: 'curl',
  h2load: 'nghttp2-client',
};

/** Where Debian packages put these binaries (`dpkg -L pebble | grep bin` → /usr/bin), searched after PATH. */
export const EXTRA_BIN_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin'];

export const ALL_PACKAGES = [...new Set(Object.values(REQUIRED_PROGRAMS))];
export const MANUAL_INSTALL_COMMAND = `sudo apt-get install -y ${ALL_PACKAGES.join(' ')}`;

const pathDirs = () => (process.env.PATH ?? '').split(delimiter).filter(Boolean);

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns { dir, onPath } for the first executable `name` in PATH, then in EXTRA_BIN_DIRS; undefined if none. */
export function findProgram(name) {
  const onPath = pathDirs();
  for (const dir of onPath) if (isExecutable(join(dir, name))) return { dir, onPath: true };
  for (const dir of EXTRA_BIN_DIRS)
    if (isExecutable(join(dir, name))) return { dir, onPath: onPath.includes(dir) };
  return undefined;
}

function missingPrograms() {
  return Object.keys(REQUIRED_PROGRAMS).filter((name) => findProgram(name) === undefined);
}

function run(command, args, env = {}) {
  console.error(`system-deps: $ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) console.error(`system-deps: ${command}: ${result.error.message}`);
  return result.status === 0;
}

function aptInstall(packages) {
  const args = ['install', '-y', '--no-install-recommends', ...packages];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', args, env)) return true;
  // Most often the package lists are absent or stale (fresh container): refresh them once and retry.
  console.error('system-deps: apt-get install failed; running apt-get update and retrying');
  return run('apt-get', ['update'], env) && run('apt-get', args, env);
}

function main() {
  let missing = missingPrograms();
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((name) => REQUIRED_PROGRAMS[name]))];
    console.error(`system-deps: missing ${missing.join(', ')} (Debian packages: ${packages.join(', ')})`);
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot || findProgram('apt-get') === undefined) {
      console.error(`system-deps: install them first:\n\n  ${MANUAL_INSTALL_COMMAND}\n`);
      process.exit(1);
    }
    // Debian's prometheus package may start a prometheus service on :9090; tests use their own ports.
    if (!aptInstall(packages)) {
      console.error(`system-deps: apt-get failed; install them by hand:\n\n  ${MANUAL_INSTALL_COMMAND}\n`);
      process.exit(1);
    }
    missing = missingPrograms();
    if (missing.length > 0) {
      console.error(`system-deps: still missing after install: ${missing.join(', ')}`);
      process.exit(1);
    }
  }
  for (const name of Object.keys(REQUIRED_PROGRAMS)) {
    const found = findProgram(name);
    if (found && !found.onPath) {
      console.error(`system-deps: warning: ${name} is in ${found.dir}, which is not on PATH; add it to PATH`);
    }
  }
  console.error(`system-deps: ok (${Object.keys(REQUIRED_PROGRAMS).join(', ')})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();

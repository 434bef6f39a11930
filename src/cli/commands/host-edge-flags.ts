/** The `hosts set` flags of issue 16's edge answers: --alias, --redirect-to, --redirect, --basic-auth-user, --htpasswd, as merge-patch fields. */
import { readFileSync } from 'node:fs';
import { type CommandContext, flag, flags, UsageError } from '../args.js';

const GROUP = 'hosts';
const STATUSES = new Set(['301', '302', '307', '308']);

interface Current {
  access?: { basicAuth?: { users?: Array<{ name: string; hash?: string }> } };
  [field: string]: unknown;
}

/** `name`, `name=serve`, `name=301` or `name=308`. */
function aliasOf(text: string): Record<string, unknown> {
  const [name, how] = text.split('=', 2);
  if (!name) throw new UsageError(`--alias ${text}: name[=serve|301|308]`, GROUP);
  if (how === undefined) return { name };
  if (how === 'serve') return { name, mode: 'serve' };
  if (how === '301' || how === '308') return { name, status: Number(how) };
  throw new UsageError(`--alias ${text}: after = comes serve, 301 or 308`, GROUP);
}

/** `prefix=>target` or `prefix=>target status`. */
function ruleOf(text: string): Record<string, unknown> {
  const arrow = text.indexOf('=>');
  if (arrow <= 0) throw new UsageError(`--redirect ${text}: 'prefix=>target [status]'`, GROUP);
  const prefix = text.slice(0, arrow).trim();
  const [to, status, extra] = text
    .slice(arrow + 2)
    .trim()
    .split(/\s+/);
  if (!to || extra !== undefined || (status !== undefined && !STATUSES.has(status)))
    throw new UsageError(`--redirect ${text}: 'prefix=>target [301|302|307|308]'`, GROUP);
  return { prefix, to, ...(status !== undefined ? { status: Number(status) } : {}) };
}

/** The password of --basic-auth-user: GERBANG_BASIC_AUTH_PASSWORD, else the first line of stdin; never a flag. */
async function readPassword(user: string): Promise<string> {
  const fromEnv = process.env.GERBANG_BASIC_AUTH_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY) process.stderr.write(`password for ${user}: `);
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password === '')
    throw new UsageError(
      '--basic-auth-user: give the password on stdin or in GERBANG_BASIC_AUTH_PASSWORD',
      GROUP,
    );
  return password;
}

/** The patch fields these flags name (none when they are absent); `current` is the stored host, if any. */
export async function edgePatchFromFlags(
  current: Current | undefined,
  ctx: CommandContext,
): Promise<Record<string, unknown>> {
  const patch: Record<string, unknown> = {};
  const aliases = flags(ctx.values, 'alias');
  if (aliases.length > 0) patch.aliases = aliases.map(aliasOf);
  const to = flag(ctx.values, 'redirect-to');
  if (to !== undefined) {
    patch.redirect = { to };
    // A host that only redirects has no routes.
    if (current !== undefined) patch.routes = null;
  }
  const rules = flags(ctx.values, 'redirect');
  if (rules.length > 0) patch.redirects = rules.map(ruleOf);
  const htpasswd = flag(ctx.values, 'htpasswd');
  const user = flag(ctx.values, 'basic-auth-user');
  if (htpasswd !== undefined && user !== undefined)
    throw new UsageError('--htpasswd replaces the users: give it without --basic-auth-user', GROUP);
  if (htpasswd !== undefined) {
    let content: string;
    try {
      content = readFileSync(htpasswd, 'utf8');
    } catch (err) {
      throw new UsageError(`--htpasswd ${htpasswd}: ${(err as Error).message}`, GROUP);
    }
    patch.access = { basicAuth: { htpasswd: content, users: null } };
  }
  if (user !== undefined) {
    const password = await readPassword(user);
    // The stored users keep their hashes; the one named gets its new password (hashed by the API).
    const others = (current?.access?.basicAuth?.users ?? []).filter((u) => u.name !== user);
    patch.access = { basicAuth: { users: [...others, { name: user, password }] } };
  }
  return patch;
}

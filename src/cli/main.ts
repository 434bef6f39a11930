#!/usr/bin/env node
/** The `gerbang` command: a thin client of the admin API (tables for people, --json for scripts); it decides nothing the API does not. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const EXIT_OK = 0;
const EXIT_API_ERROR = 1;
const EXIT_USAGE = 2;
const EXIT_UNREACHABLE = 3;
const DEFAULT_URL = 'http://127.0.0.1:9180';

const USAGE = `gerbang — client of the Gerbang admin API

Usage: gerbang <command> [options]

  hosts ls                               hosts you may see
  hosts get <host>
  hosts set <host> --target <url> [--target <url>] [--path /] [--agency <id>]
                   [--name <app name>] [--maintenance on|off] [--message <text>]
  hosts set <host> --file <host.json>    the whole host document (see /openapi.json)
  hosts rm <host>
  agencies ls
  agencies set <id> --name <name> --contact <contact> --owns <host>[,<host>...]
  agencies rm <id>
  tokens ls
  tokens create --scope admin|agency:<id> --note <text> [--expires <ISO date>]
  tokens rm <id>
  audit [--host <host>] [--agency <id>] [--since <ISO>] [--until <ISO>] [--limit <n>]
  status
  cache purge <host> [--prefix </path>]

Options:
  --url <url>      admin API (env GERBANG_ADMIN_URL, default ${DEFAULT_URL})
  --token <token>  bearer token (env GERBANG_TOKEN)
  --json           print the API's JSON answer as is
  -h, --help

Exit codes: 0 done, 1 the API refused (message on stderr), 2 usage error, 3 API unreachable.
`;

class UsageError extends Error {}

interface Options {
  url: string;
  token: string | undefined;
  json: boolean;
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
}

interface ApiAnswer {
  status: number;
  body: unknown;
}

async function call(opts: Options, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(new URL(path, opts.url), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Unreachable(
      `cannot reach ${opts.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
    );
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (e.g. /metrics): keep the text
  }
  if (res.status >= 400) throw new ApiError(res.status, parsed);
  return { status: res.status, body: parsed };
}

class Unreachable extends Error {}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = (body as { error?: { code?: string; message?: string; details?: { fields?: unknown } } })
      ?.error;
    super(error ? `${error.code}: ${error.message}` : `HTTP ${status}`);
  }
}

function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(str).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

interface StatusBody {
  hosts: Array<{
    host: string;
    status: string;
    routes: Array<{
      path: string;
      targets: Array<{ target: string; condition: string; since: string; reason: string }>;
    }>;
  }>;
}

/** Plain aligned columns: readable in a terminal and in a pasted message. */
function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((r) => columns.map((c) => str(r[c]).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) =>
    Math.min(60, Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length))),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) =>
        v.length > (widths[i] ?? 0) ? `${v.slice(0, (widths[i] ?? 1) - 1)}…` : v.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}

function out(text: string): void {
  process.stdout.write(text);
}

function printJson(value: unknown): void {
  out(`${JSON.stringify(value, null, 2)}\n`);
}

function need(args: string[], index: number, what: string): string {
  const value = args[index];
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

function flag(opts: Options, name: string): string | undefined {
  const value = opts.values[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
}

function flags(opts: Options, name: string): string[] {
  const value = opts.values[name];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

function hostRows(hosts: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return hosts.map((h) => {
    const routes = (h.routes as Array<{ path: string; targets: string[] }>) ?? [];
    return {
      host: h.host,
      agency: h.agency,
      routes: routes.map((r) => `${r.path} → ${r.targets.join(' ')}`).join('; '),
      maintenance: (h.maintenance as { enabled?: boolean } | undefined)?.enabled ? 'on' : '',
      source: h.source,
    };
  });
}

function hostBodyFromFlags(opts: Options): Record<string, unknown> {
  const file = flag(opts, 'file');
  if (file) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`--file ${file}: ${(err as Error).message}`);
    }
  }
  const targets = flags(opts, 'target');
  if (targets.length === 0) throw new UsageError('hosts set needs --target <url> (or --file)');
  const body: Record<string, unknown> = { routes: [{ path: flag(opts, 'path') ?? '/', targets }] };
  const agency = flag(opts, 'agency');
  if (agency) body.agency = agency;
  const name = flag(opts, 'name');
  if (name) body.app = { name };
  const maintenance = flag(opts, 'maintenance');
  if (maintenance !== undefined) {
    if (maintenance !== 'on' && maintenance !== 'off') throw new UsageError('--maintenance is on or off');
    const message = flag(opts, 'message');
    body.maintenance = { enabled: maintenance === 'on', ...(message ? { message } : {}) };
  }
  return body;
}

async function run(args: string[], opts: Options): Promise<void> {
  const [group, action] = args;
  const enc = encodeURIComponent;
  switch (`${group ?? ''} ${action ?? ''}`.trim()) {
    case 'hosts ls':
    case 'hosts': {
      const { body } = await call(opts, 'GET', '/v1/hosts');
      const hosts = (body as { hosts: Array<Record<string, unknown>> }).hosts;
      return opts.json
        ? printJson(body)
        : out(table(hostRows(hosts), ['host', 'agency', 'routes', 'maintenance', 'source']));
    }
    case 'hosts get': {
      const { body } = await call(opts, 'GET', `/v1/hosts/${enc(need(args, 2, '<host>'))}`);
      return printJson(body);
    }
    case 'hosts set': {
      const host = need(args, 2, '<host>');
      const { status, body } = await call(opts, 'PUT', `/v1/hosts/${enc(host)}`, hostBodyFromFlags(opts));
      return opts.json ? printJson(body) : out(`${status === 201 ? 'registered' : 'updated'} ${host}\n`);
    }
    case 'hosts rm': {
      const host = need(args, 2, '<host>');
      await call(opts, 'DELETE', `/v1/hosts/${enc(host)}`);
      return opts.json ? printJson({ deleted: host }) : out(`removed ${host}\n`);
    }
    case 'agencies ls':
    case 'agencies': {
      const { body } = await call(opts, 'GET', '/v1/agencies');
      const agencies = (body as { agencies: Array<Record<string, unknown>> }).agencies;
      return opts.json ? printJson(body) : out(table(agencies, ['id', 'name', 'contact', 'owns']));
    }
    case 'agencies set': {
      const id = need(args, 2, '<id>');
      const owns = flags(opts, 'owns').flatMap((o) =>
        o
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
      const body = { name: flag(opts, 'name'), contact: flag(opts, 'contact'), owns };
      const res = await call(opts, 'PUT', `/v1/agencies/${enc(id)}`, body);
      return opts.json
        ? printJson(res.body)
        : out(`${res.status === 201 ? 'created' : 'updated'} agency ${id}\n`);
    }
    case 'agencies rm': {
      const id = need(args, 2, '<id>');
      await call(opts, 'DELETE', `/v1/agencies/${enc(id)}`);
      return opts.json ? printJson({ deleted: id }) : out(`removed agency ${id}\n`);
    }
    case 'tokens ls':
    case 'tokens': {
      const { body } = await call(opts, 'GET', '/v1/tokens');
      const tokens = (body as { tokens: Array<Record<string, unknown>> }).tokens;
      return opts.json
        ? printJson(body)
        : out(table(tokens, ['id', 'scope', 'note', 'createdAt', 'expiresAt']));
    }
    case 'tokens create': {
      const expires = flag(opts, 'expires');
      const body = {
        scope: flag(opts, 'scope'),
        note: flag(opts, 'note'),
        ...(expires ? { expiresAt: expires } : {}),
      };
      const res = await call(opts, 'POST', '/v1/tokens', body);
      if (opts.json) return printJson(res.body);
      const token = res.body as { id: string; scope: string; secret: string };
      process.stderr.write('The secret is shown once; store it now.\n');
      return out(`id:     ${token.id}\nscope:  ${token.scope}\nsecret: ${token.secret}\n`);
    }
    case 'tokens rm': {
      const id = need(args, 2, '<id>');
      await call(opts, 'DELETE', `/v1/tokens/${enc(id)}`);
      return opts.json ? printJson({ revoked: id }) : out(`revoked ${id}\n`);
    }
    case 'audit': {
      const query = new URLSearchParams();
      for (const name of ['host', 'agency', 'since', 'until', 'limit']) {
        const value = flag(opts, name);
        if (value !== undefined) query.set(name, value);
      }
      const qs = query.size > 0 ? `?${query}` : '';
      const { body } = await call(opts, 'GET', `/v1/audit${qs}`);
      const entries = (body as { entries: Array<Record<string, unknown>> }).entries;
      return opts.json
        ? printJson(body)
        : out(table(entries, ['at', 'action', 'target', 'tokenId', 'agency', 'ip']));
    }
    case 'status': {
      const { body } = await call(opts, 'GET', '/v1/status');
      if (opts.json) return printJson(body);
      // One row per target: what an operator on duty scans for.
      const rows = (body as StatusBody).hosts.flatMap((h) =>
        h.routes.flatMap((r) =>
          r.targets.map((tg) => ({
            host: h.host,
            status: h.status,
            path: r.path,
            target: tg.target,
            condition: tg.condition,
            since: tg.since,
            reason: tg.reason,
          })),
        ),
      );
      return out(table(rows, ['host', 'status', 'path', 'target', 'condition', 'since', 'reason']));
    }
    case 'cache purge': {
      const host = need(args, 2, '<host>');
      const prefix = flag(opts, 'prefix');
      const { body } = await call(opts, 'POST', '/v1/cache/purge', { host, ...(prefix ? { prefix } : {}) });
      return opts.json ? printJson(body) : out(`purged ${host}${prefix ?? ''}\n`);
    }
    default:
      throw new UsageError(group ? `unknown command: ${args.slice(0, 2).join(' ')}` : 'no command given');
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        file: { type: 'string' },
        target: { type: 'string', multiple: true },
        path: { type: 'string' },
        agency: { type: 'string' },
        name: { type: 'string' },
        maintenance: { type: 'string' },
        message: { type: 'string' },
        contact: { type: 'string' },
        owns: { type: 'string', multiple: true },
        scope: { type: 'string' },
        note: { type: 'string' },
        expires: { type: 'string' },
        host: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        limit: { type: 'string' },
        prefix: { type: 'string' },
      },
    });
  } catch (err) {
    process.stderr.write(`gerbang: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help || parsed.positionals.length === 0) {
    (parsed.values.help ? process.stdout : process.stderr).write(USAGE);
    return parsed.values.help ? EXIT_OK : EXIT_USAGE;
  }
  const opts: Options = {
    url: (parsed.values.url as string | undefined) ?? process.env.GERBANG_ADMIN_URL ?? DEFAULT_URL,
    token: (parsed.values.token as string | undefined) ?? process.env.GERBANG_TOKEN,
    json: parsed.values.json === true,
    values: parsed.values,
  };
  try {
    new URL(opts.url);
  } catch {
    process.stderr.write(`gerbang: --url ${opts.url} is not a URL\n`);
    return EXIT_USAGE;
  }
  try {
    await run(parsed.positionals, opts);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`gerbang: ${err.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (err instanceof Unreachable) {
      process.stderr.write(`gerbang: ${err.message}\n`);
      return EXIT_UNREACHABLE;
    }
    if (err instanceof ApiError) {
      if (opts.json) process.stdout.write(`${JSON.stringify(err.body, null, 2)}\n`);
      const hint = err.status === 401 ? ' (set GERBANG_TOKEN or --token)' : '';
      process.stderr.write(`gerbang: ${err.message}${hint}\n`);
      const fields = (
        err.body as { error?: { details?: { fields?: Array<{ path: string; message: string }> } } }
      )?.error?.details?.fields;
      for (const f of fields ?? []) process.stderr.write(`  ${f.path}: ${f.message}\n`);
      return EXIT_API_ERROR;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gerbang: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);

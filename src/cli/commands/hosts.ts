/** `gerbang hosts ...`: list, read, register, change one thing (a merge patch), maintenance, remove. */
import { readFileSync } from 'node:fs';
import { ApiError } from '../api-client.js';
import {
  type CommandContext,
  type CommandGroup,
  flag,
  flags,
  need,
  UsageError,
  unknownAction,
} from '../args.js';
import { out, printJson, table } from '../output.js';
import { edgePatchFromFlags } from './host-edge-flags.js';
import { headerPatchFromFlags } from './host-header-flags.js';

const GROUP = 'hosts';

interface HostRoute {
  path: string;
  targets: string[];
  [field: string]: unknown;
}

interface HostView {
  host: string;
  routes: HostRoute[];
  [field: string]: unknown;
}

function rows(hosts: HostView[]): Array<Record<string, unknown>> {
  return hosts.map((h) => ({
    host: h.host,
    agency: h.agency,
    routes: h.routes.map((r) => `${r.path} → ${r.targets.join(' ')}`).join('; '),
    maintenance: (h.maintenance as { enabled?: boolean } | undefined)?.enabled ? 'on' : '',
    source: h.source,
  }));
}

function readDocument(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--file ${file}: ${(err as Error).message}`, GROUP);
  }
}

function onOff(value: string | undefined, what: string): boolean {
  if (value !== 'on' && value !== 'off') throw new UsageError(`${what} is on or off`, GROUP);
  return value === 'on';
}

function maintenancePatch(enabled: boolean, ctx: CommandContext): Record<string, unknown> {
  const message = flag(ctx.values, 'message');
  const until = flag(ctx.values, 'until');
  return {
    enabled,
    ...(message !== undefined ? { message } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}

/** `--rate-limit 10/s --burst 20 --exempt <cidr>...`: the host's `rateLimit` as a merge patch (null for `off`). */
function rateLimitPatch(ctx: CommandContext): Record<string, unknown> | null | undefined {
  const rate = flag(ctx.values, 'rate-limit');
  const burst = flag(ctx.values, 'burst');
  const exempt = flags(ctx.values, 'exempt');
  if (rate === 'off') {
    if (burst !== undefined || exempt.length > 0)
      throw new UsageError('--rate-limit off takes no --burst or --exempt', GROUP);
    return null;
  }
  if (rate === undefined && burst === undefined && exempt.length === 0) return undefined;
  if (burst !== undefined && !/^[1-9][0-9]*$/.test(burst))
    throw new UsageError(`--burst ${burst}: a whole number of requests, 1 or more`, GROUP);
  // The rate's form ("10/s", "600/m", "100/h") is checked by the API, which names the field.
  return {
    ...(rate !== undefined ? { rate } : {}),
    ...(burst !== undefined ? { burst: Number(burst) } : {}),
    ...(exempt.length > 0 ? { exempt } : {}),
  };
}

/** The merge patch the flags of `hosts set` describe: only what they name. */
function patchFromFlags(current: HostView | undefined, ctx: CommandContext): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const targets = flags(ctx.values, 'target');
  const path = flag(ctx.values, 'path') ?? '/';
  if (targets.length > 0) {
    // Arrays are replaced whole by a merge patch: the route named by --path changes, the others stay.
    const routes = current?.routes ?? [];
    const index = routes.findIndex((r) => r.path === path);
    patch.routes =
      index >= 0
        ? routes.map((r, i) => (i === index ? { ...r, targets } : r))
        : [...routes, { path, targets }];
  }
  const agency = flag(ctx.values, 'agency');
  if (agency !== undefined) patch.agency = agency;
  const name = flag(ctx.values, 'name');
  if (name !== undefined) patch.app = { name };
  const maintenance = flag(ctx.values, 'maintenance');
  if (maintenance !== undefined)
    patch.maintenance = maintenancePatch(onOff(maintenance, '--maintenance'), ctx);
  const compression = flag(ctx.values, 'compression');
  // Only the switch: levels and threshold set in the document stay as they are.
  if (compression !== undefined) patch.compression = { enabled: onOff(compression, '--compression') };
  const rateLimit = rateLimitPatch(ctx);
  // A new host has no limit to remove: `off` then names nothing.
  if (rateLimit !== undefined && (rateLimit !== null || current !== undefined)) patch.rateLimit = rateLimit;
  return patch;
}

async function current(ctx: CommandContext, host: string): Promise<HostView | undefined> {
  try {
    return (await ctx.api.call('GET', `/v1/hosts/${encodeURIComponent(host)}`)).body as HostView;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

async function patch(ctx: CommandContext, host: string, body: Record<string, unknown>): Promise<unknown> {
  const path = `/v1/hosts/${encodeURIComponent(host)}`;
  return (await ctx.api.call('PATCH', path, body, 'application/merge-patch+json')).body;
}

async function set(args: string[], ctx: CommandContext): Promise<void> {
  const host = need(args, 2, '<host>', GROUP);
  const path = `/v1/hosts/${encodeURIComponent(host)}`;
  const file = flag(ctx.values, 'file');
  if (file !== undefined) {
    const { status, body } = await ctx.api.call('PUT', path, readDocument(file));
    if (ctx.json) return printJson(body);
    return out(`${status === 201 ? 'registered' : 'replaced the whole document of'} ${host} from ${file}\n`);
  }
  const existing = await current(ctx, host);
  const changes = {
    ...patchFromFlags(existing, ctx),
    ...(await edgePatchFromFlags(existing, ctx)),
    ...headerPatchFromFlags(existing, ctx),
  };
  if (existing === undefined) {
    if (changes.routes === undefined && changes.redirect === undefined)
      throw new UsageError(`${host} is new: hosts set needs --target <url> (or --redirect-to <url>)`, GROUP);
    const { body } = await ctx.api.call('PUT', path, changes);
    return ctx.json ? printJson(body) : out(`registered ${host}\n`);
  }
  if (Object.keys(changes).length === 0) throw new UsageError('hosts set: name something to change', GROUP);
  const body = await patch(ctx, host, changes);
  return ctx.json ? printJson(body) : out(`updated ${host}: ${Object.keys(changes).join(', ')}\n`);
}

async function maintenance(args: string[], ctx: CommandContext): Promise<void> {
  const host = need(args, 2, '<host>', GROUP);
  const enabled = onOff(need(args, 3, 'on|off', GROUP), 'hosts maintenance');
  const body = await patch(ctx, host, { maintenance: maintenancePatch(enabled, ctx) });
  return ctx.json ? printJson(body) : out(`maintenance ${enabled ? 'on' : 'off'} for ${host}\n`);
}

export const hostsCommands: CommandGroup = {
  name: GROUP,
  usage: `  hosts ls                               hosts you may see
  hosts get <host>
  hosts set <host> [--target <url> ...] [--path /] [--agency <id>] [--name <app name>]
                   [--maintenance on|off] [--message <text>] [--until <ISO date>]
                   [--compression on|off]
                   [--rate-limit <n>/s|m|h|off] [--burst <n>] [--exempt <cidr> ...]
                   [--alias <name>[=serve|301|308] ...] [--redirect-to <url>]
                   [--redirect '<prefix>=><target> [301|302|307|308]' ...]
                   [--basic-auth-user <name>] [--htpasswd <file>]
                   [--header-set 'Name: value' ...] [--header-set-if-absent 'Name: value' ...]
                   [--header-remove <name> ...] [--request-header-set 'Name: value' ...]
                   [--request-header-set-if-absent 'Name: value' ...] [--request-header-remove <name> ...]
                   [--no-default-headers | --default-headers]
                   [--error-text '<403|404|429|502|503|504|maintenance>[.en]=<text>' ...]
                                         (the password of --basic-auth-user comes from stdin or
                                         GERBANG_BASIC_AUTH_PASSWORD, never from a flag)
                                         changes only what the flags name (registers a new host
                                         when given --target)
  hosts set <host> --file <host.json>    replaces the whole host document (see /openapi.json)
  hosts maintenance <host> on|off [--message <text>] [--until <ISO date>]
  hosts rm <host>
`,
  async run(action, args, ctx) {
    const enc = encodeURIComponent;
    switch (action ?? 'ls') {
      case 'ls': {
        const { body } = await ctx.api.call('GET', '/v1/hosts');
        return ctx.json
          ? printJson(body)
          : out(
              table(rows((body as { hosts: HostView[] }).hosts), [
                'host',
                'agency',
                'routes',
                'maintenance',
                'source',
              ]),
            );
      }
      case 'get':
        return printJson(
          (await ctx.api.call('GET', `/v1/hosts/${enc(need(args, 2, '<host>', GROUP))}`)).body,
        );
      case 'set':
        return set(args, ctx);
      case 'maintenance':
        return maintenance(args, ctx);
      case 'rm': {
        const host = need(args, 2, '<host>', GROUP);
        await ctx.api.call('DELETE', `/v1/hosts/${enc(host)}`);
        return ctx.json ? printJson({ deleted: host }) : out(`removed ${host}\n`);
      }
      default:
        throw unknownAction(GROUP, action);
    }
  },
};

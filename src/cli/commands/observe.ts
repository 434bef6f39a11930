/** `gerbang audit`, `gerbang status` and `gerbang cache purge`: reading what happened and what is up, and purging. */
import { type CommandGroup, flag, need, unknownAction } from '../args.js';
import { out, printJson, printList, table } from '../output.js';

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

export const auditCommands: CommandGroup = {
  name: 'audit',
  usage: `  audit [--host <host>] [--agency <id>] [--since <ISO>] [--until <ISO>] [--limit <n>]
`,
  async run(_action, _args, ctx) {
    const query = new URLSearchParams();
    for (const name of ['host', 'agency', 'since', 'until', 'limit']) {
      const value = flag(ctx.values, name);
      if (value !== undefined) query.set(name, value);
    }
    const qs = query.size > 0 ? `?${query}` : '';
    const { body } = await ctx.api.call('GET', `/v1/audit${qs}`);
    printList(ctx.json, body, 'entries', ['at', 'action', 'target', 'tokenId', 'agency', 'ip']);
  },
};

export const statusCommands: CommandGroup = {
  name: 'status',
  usage: `  status                                 every target's health, since when and why
`,
  async run(_action, _args, ctx) {
    const { body } = await ctx.api.call('GET', '/v1/status');
    if (ctx.json) return printJson(body);
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
    out(table(rows, ['host', 'status', 'path', 'target', 'condition', 'since', 'reason']));
  },
};

export const cacheCommands: CommandGroup = {
  name: 'cache',
  usage: `  cache purge <host> [--prefix </path>]
`,
  async run(action, args, ctx) {
    if (action !== 'purge') throw unknownAction('cache', action);
    const host = need(args, 2, '<host>', 'cache');
    const prefix = flag(ctx.values, 'prefix');
    const { body } = await ctx.api.call('POST', '/v1/cache/purge', { host, ...(prefix ? { prefix } : {}) });
    return ctx.json ? printJson(body) : out(`purged ${host}${prefix ?? ''}\n`);
  },
};
